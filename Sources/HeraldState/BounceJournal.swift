import Foundation
import GRDB
import HeraldBase

/// Applies bounce and complaint reports to the subscribers, each decision journaled with
/// the report's Message-ID in one transaction: a hard bounce marks the subscriber
/// `bounced`, `softLimit` soft ones within `softDays` do too, a complaint unsubscribes.
/// A report already journaled changes nothing.
public struct BounceJournal: BounceStorage {
    let database: StateDatabase
    public init(database: StateDatabase) { self.database = database }

    public struct Rules: Sendable {
        public let softLimit: Int
        public let softDays: Int
        public init(softLimit: Int, softDays: Int) {
            self.softLimit = softLimit
            self.softDays = softDays
        }
    }

    public enum Decision: String, Sendable, Encodable {
        case bounced, counted, unsubscribed, ignored
    }

    public struct Outcome: Sendable, Equatable {
        /// Nil: the report was journaled before, and nothing changed now.
        public let decision: Decision?
        /// The subscriber the report names, if it names one.
        public let address: String?
        /// Why, in words: `hard bounce 5.1.1`, `soft bounce 2 of 3 in 14 days`.
        public let reason: String
    }

    public func apply(_ report: BounceReport, rules: Rules, now: Date = Date()) throws -> Outcome {
        try database.pool.write { db in
            if let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT r.decision, s.address FROM bounce_reports r LEFT JOIN subscribers s ON s.id = r.subscriber
                    WHERE r.message_id = ?
                    """, arguments: [report.messageID])
            {
                let decision: String = row["decision"]
                return Outcome(decision: nil, address: row["address"], reason: "already read (\(decision))")
            }
            let subscriber = try report.token.flatMap { token in
                try Row.fetchOne(
                    db, sql: "SELECT id, address, address_key, status FROM subscribers WHERE unsubscribe_token = ?",
                    arguments: [token.description])
            }
            let (decision, reason) = try Self.decide(db, report, subscriber, rules, now)
            try db.execute(
                sql: """
                    INSERT INTO bounce_reports (message_id, kind, subscriber, recipient, status_code, detail, decision, received_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    report.messageID, report.kind.rawValue, subscriber?["id"] as Int64?, report.recipient,
                    report.statusCode, report.detail, decision.rawValue, now,
                ])
            return Outcome(decision: decision, address: subscriber?["address"], reason: reason)
        }
    }

    private static func decide(
        _ db: Database, _ report: BounceReport, _ subscriber: Row?, _ rules: Rules,
        _ now: Date
    ) throws -> (Decision, String) {
        let id: Int64? = subscriber?["id"]
        let since = now.addingTimeInterval(-Double(rules.softDays) * 86_400)
        let verdict = try Self.verdict(report, status: subscriber?["status"], rules: rules) {
            try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM bounce_reports WHERE subscriber = ? AND kind = 'soft' AND received_at >= ?
                    """, arguments: [id, since]) ?? 0
        }
        if let id, let status = verdict.status {
            try setStatus(db, id, status, now)
            if verdict.decision == .unsubscribed {
                // Kept with the consent records: the reader left, through their mailbox provider.
                try db.execute(
                    sql:
                        "INSERT INTO consents (address_key, action, at, client, user_agent, page) VALUES (?, 'unsubscribed', ?, ?, ?, ?)",
                    arguments: [subscriber?["address_key"] as String?, now, "abuse report", report.detail ?? "", report.messageID])
            }
        }
        return (verdict.decision, verdict.reason)
    }

    /// What a report decides for a subscriber whose status is `status` (nil: the token names
    /// none), the same for either database: the decision, why in words, and the status to
    /// give the subscriber (nil: none). `earlierSoft` counts the subscriber's soft bounces
    /// within `softDays`; asked only for a soft bounce of an active subscriber.
    static func verdict(
        _ report: BounceReport, status: String?, rules: Rules, earlierSoft: () throws -> Int
    ) rethrows -> (decision: Decision, reason: String, status: Subscriber.Status?) {
        let code = report.statusCode.map { " \($0)" } ?? ""
        guard let status else { return (.ignored, "\(report.kind.rawValue)\(code): the token names no subscription", nil) }
        switch report.kind {
        case .other:
            return (.ignored, "nothing to do\(code)", nil)
        case _ where status != Subscriber.Status.active.rawValue:
            return (.ignored, "\(report.kind.rawValue)\(code): already \(status)", nil)
        case .hard:
            return (.bounced, "hard bounce\(code)", .bounced)
        case .soft:
            let count = try earlierSoft() + 1
            let tally = "soft bounce\(code), \(count) of \(rules.softLimit) in \(rules.softDays) days"
            guard count >= rules.softLimit else { return (.counted, tally, nil) }
            return (.bounced, tally, .bounced)
        case .complaint:
            return (.unsubscribed, "complaint\(code)", .unsubscribed)
        }
    }

    private static func setStatus(_ db: Database, _ id: Int64, _ status: Subscriber.Status, _ now: Date) throws {
        try db.execute(sql: "UPDATE subscribers SET status = ?, changed_at = ? WHERE id = ?", arguments: [status.rawValue, now, id])
    }

    /// One journaled report, for `herald status`.
    public struct Entry: Sendable, Encodable {
        public let messageID: String
        public let kind: String
        public let address: String?
        public let statusCode: String?
        public let decision: String
        public let receivedAt: Date
    }

    static func recent(_ db: Database, limit: Int) throws -> [Entry] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT r.*, s.address FROM bounce_reports r LEFT JOIN subscribers s ON s.id = r.subscriber
                ORDER BY r.id DESC LIMIT ?
                """, arguments: [limit]
        ).map {
            Entry(
                messageID: $0["message_id"], kind: $0["kind"], address: $0["address"], statusCode: $0["status_code"],
                decision: $0["decision"], receivedAt: $0["received_at"])
        }
    }
}
