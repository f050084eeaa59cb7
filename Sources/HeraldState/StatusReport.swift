import Foundation
import GRDB

/// What `herald status` shows: subscribers, the last digests with their delivery
/// counts by status, and the deliveries that need a human (retries, failures, uncertain).
public struct StatusReport: Sendable, Encodable {
    public struct Digest: Sendable, Encodable {
        public let number: Int
        public let subject: String
        public let createdAt: Date
        public let posts: [String]
        public let deliveries: [String: Int]
        /// No delivery pending or sending.
        public let complete: Bool
        /// Each sender's share where several send it (PostgreSQL); empty with SQLite.
        public var senders: [SenderProgress] = []
    }

    public struct Delivery: Sendable, Encodable {
        public let digest: Int
        public let address: String
        public let status: String
        public let attempts: Int
        public let lastReply: String?
        public let changedAt: Date
    }

    /// Where the state is; filled in by the caller, which knows how it was chosen.
    public var stateDirectory: String?
    /// When the next digest is due (RFC 3339 in the publication's zone), `manual`, or `now`.
    public var nextDigest: String?
    public let subscribers: [String: Int]
    public let digests: [Digest]
    /// Pending deliveries that already failed temporarily at least once.
    public let pendingRetries: [Delivery]
    public let failed: [Delivery]
    public let uncertain: [Delivery]
    /// Bounce and complaint reports read by `herald bounces`, by decision, and the latest ones.
    public let reports: [String: Int]
    public let recentReports: [BounceJournal.Entry]

    /// Lists of deliveries stop here; counts in `digests` stay exact.
    public static let listLimit = 1000

    /// The report of a publication with no state database yet.
    public static let empty = StatusReport(
        subscribers: Dictionary(uniqueKeysWithValues: Subscriber.Status.allCases.map { ($0.rawValue, 0) }),
        digests: [], pendingRetries: [], failed: [], uncertain: [], reports: [:], recentReports: [])

    public static func load(_ database: StateDatabase, lastDigests: Int = 5, lastReports: Int = 10) throws -> StatusReport {
        try database.pool.read { db in
            var subscribers = Dictionary(uniqueKeysWithValues: Subscriber.Status.allCases.map { ($0.rawValue, 0) })
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM subscribers GROUP BY status") {
                subscribers[row["status"]] = row["n"]
            }
            let records = try Row.fetchAll(db, sql: "SELECT * FROM digests ORDER BY number DESC LIMIT ?", arguments: [lastDigests])
                .map(DeliveryJournal.digest)
            let digests = try records.map { r in
                let counts = try DeliveryJournal.counts(db, digest: r.number)
                return Digest(
                    number: r.number, subject: r.subject, createdAt: r.createdAt, posts: r.postIDs,
                    deliveries: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }),
                    complete: counts[.pending, default: 0] + counts[.sending, default: 0] == 0)
            }
            func deliveries(_ condition: String) throws -> [Delivery] {
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT d.digest, s.address, d.status, d.attempts, d.last_reply, d.changed_at
                        FROM deliveries d JOIN subscribers s ON s.id = d.subscriber
                        WHERE \(condition) ORDER BY d.digest DESC, d.id LIMIT \(listLimit)
                        """
                ).map {
                    Delivery(
                        digest: $0["digest"], address: $0["address"], status: $0["status"], attempts: $0["attempts"],
                        lastReply: $0["last_reply"], changedAt: $0["changed_at"])
                }
            }
            var reports: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT decision, COUNT(*) AS n FROM bounce_reports GROUP BY decision") {
                reports[row["decision"]] = row["n"]
            }
            return StatusReport(
                stateDirectory: nil, nextDigest: nil, subscribers: subscribers, digests: digests,
                pendingRetries: try deliveries("d.status = 'pending' AND d.attempts > 0"),
                failed: try deliveries("d.status = 'failed'"),
                uncertain: try deliveries("d.status = 'uncertain'"),
                reports: reports, recentReports: try BounceJournal.recent(db, limit: lastReports))
        }
    }
}
