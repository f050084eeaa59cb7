import Foundation
import PostgresNIO

/// `BounceJournal` in a PostgreSQL state: the same decisions (`BounceJournal.verdict`),
/// each journaled with the report's Message-ID in one transaction. Two readers of the same
/// mailbox take turns per report, so a report is applied once.
public struct PostgresBounceJournal: BounceStorage {
    let state: PostgresState
    public init(state: PostgresState) { self.state = state }

    public func apply(_ report: BounceReport, rules: BounceJournal.Rules, now: Date) throws -> BounceJournal.Outcome {
        let messageID = PostgresText.storable(report.messageID)
        return try state.session.transaction { s in
            try PostgresAddressLock.lock(s, PostgresAddressLock.bounceReports, key: messageID)
            if let row = try s.query(
                """
                SELECT r.decision, s.address FROM bounce_reports r LEFT JOIN subscribers s ON s.id = r.subscriber
                WHERE r.message_id = \(messageID)
                """
            ).first {
                let (decision, address) = try row.decode((String, String?).self)
                return BounceJournal.Outcome(decision: nil, address: address, reason: "already read (\(decision))")
            }
            let subscriber = try report.token.flatMap { token in
                try s.query(
                    "SELECT id, address, address_key, status FROM subscribers WHERE unsubscribe_token = \(token.description) FOR UPDATE"
                ).first?.decode((Int64, String, String, String).self)
            }
            let since = now.addingTimeInterval(-Double(rules.softDays) * 86_400)
            let verdict = try BounceJournal.verdict(report, status: subscriber?.3, rules: rules) {
                try s.query(
                    """
                    SELECT COUNT(*)::bigint FROM bounce_reports
                    WHERE subscriber = \(subscriber?.0) AND kind = 'soft' AND received_at >= \(since)
                    """
                ).first?.decode(Int.self) ?? 0
            }
            if let subscriber, let status = verdict.status {
                try s.query("UPDATE subscribers SET status = \(status.rawValue), changed_at = \(now) WHERE id = \(subscriber.0)")
                if verdict.decision == .unsubscribed {
                    // Kept with the consent records: the reader left, through their mailbox provider.
                    try PostgresSubscriptions.record(
                        s, subscriber.2, "unsubscribed", at: now, client: "abuse report", userAgent: report.detail ?? "",
                        page: report.messageID, source: nil)
                }
            }
            try s.query(
                """
                INSERT INTO bounce_reports (message_id, kind, subscriber, recipient, status_code, detail, decision, received_at)
                VALUES (\(messageID), \(report.kind.rawValue), \(subscriber?.0), \(PostgresText.storable(report.recipient)),
                        \(PostgresText.storable(report.statusCode)), \(PostgresText.storable(report.detail)),
                        \(verdict.decision.rawValue), \(now))
                """)
            return BounceJournal.Outcome(decision: verdict.decision, address: subscriber?.1, reason: verdict.reason)
        }
    }
}
