import Foundation
import PostgresNIO

extension StatusReport {
    /// The same report from a PostgreSQL state, with each sender's share of every digest shown.
    public static func load(_ state: PostgresState, lastDigests: Int = 5, lastReports: Int = 10) throws -> StatusReport {
        let session = state.session
        var subscribers = Dictionary(uniqueKeysWithValues: Subscriber.Status.allCases.map { ($0.rawValue, 0) })
        for row in try session.query("SELECT status, COUNT(*) FROM subscribers GROUP BY status") {
            let (status, n) = try row.decode((String, Int).self)
            subscribers[status] = n
        }
        let records = try session.query(
            """
            SELECT number, post_ids, subject, created_at, newest_post_date FROM digests ORDER BY number DESC LIMIT \(lastDigests)
            """
        ).map(PostgresDigests.digest)
        let digests = try records.map { r in
            let counts = try PostgresLedger.counts(session, digest: r.number)
            var digest = Digest(
                number: r.number, subject: r.subject, createdAt: r.createdAt, posts: r.postIDs,
                deliveries: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }),
                complete: counts[.pending, default: 0] + counts[.sending, default: 0] == 0)
            digest.senders = try SenderProgress.of(digest: r.number, session: session)
            return digest
        }
        func deliveries(_ status: String, retried: Bool = false) throws -> [Delivery] {
            try session.query(
                """
                SELECT d.digest, s.address, d.status, d.attempts, d.last_reply, d.changed_at
                FROM deliveries d JOIN subscribers s ON s.id = d.subscriber
                WHERE d.status = \(status) AND d.attempts >= \(retried ? 1 : 0)
                ORDER BY d.digest DESC, d.id LIMIT \(listLimit)
                """
            ).map { row in
                let (digest, address, status, attempts, reply, changed) = try row.decode((Int, String, String, Int, String?, Date).self)
                return Delivery(digest: digest, address: address, status: status, attempts: attempts, lastReply: reply, changedAt: changed)
            }
        }
        var reports: [String: Int] = [:]
        for row in try session.query("SELECT decision, COUNT(*) FROM bounce_reports GROUP BY decision") {
            let (decision, n) = try row.decode((String, Int).self)
            reports[decision] = n
        }
        let recent = try session.query(
            """
            SELECT r.message_id, r.kind, s.address, r.status_code, r.decision, r.received_at
            FROM bounce_reports r LEFT JOIN subscribers s ON s.id = r.subscriber
            ORDER BY r.id DESC LIMIT \(lastReports)
            """
        ).map { row in
            let (id, kind, address, code, decision, received) = try row.decode((String, String, String?, String?, String, Date).self)
            return BounceJournal.Entry(
                messageID: id, kind: kind, address: address, statusCode: code, decision: decision, receivedAt: received)
        }
        return StatusReport(
            stateDirectory: nil, nextDigest: nil, subscribers: subscribers, digests: digests,
            pendingRetries: try deliveries("pending", retried: true), failed: try deliveries("failed"),
            uncertain: try deliveries("uncertain"), reports: reports, recentReports: recent)
    }
}
