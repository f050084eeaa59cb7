import Foundation
import PostgresNIO

/// What one sender of a digest has done, for `herald status` where several senders share
/// a digest: its rows by outcome, what it holds now, and when it was last heard of.
public struct SenderProgress: Sendable, Equatable {
    public let sender: String
    public let host: String
    public let pid: Int
    public let startedAt: Date
    public let seenAt: Date
    public let sent: Int
    public let failed: Int
    public let uncertain: Int
    /// Rows it has claimed or is sending now.
    public let holding: Int

    /// Every sender registered for `digest`, in the order they started.
    public static func of(digest: Int, in state: PostgresState) throws -> [SenderProgress] {
        try state.session.query(
            """
            SELECT s.id, s.host, s.pid, s.started_at, s.seen_at,
              COUNT(*) FILTER (WHERE d.status = 'sent'),
              COUNT(*) FILTER (WHERE d.status = 'failed'),
              COUNT(*) FILTER (WHERE d.status = 'uncertain'),
              COUNT(*) FILTER (WHERE d.status IN ('pending','sending'))
            FROM senders s LEFT JOIN deliveries d ON d.claimed_by = s.id AND d.digest = s.digest
            WHERE s.digest = \(digest)
            GROUP BY s.id, s.host, s.pid, s.started_at, s.seen_at
            ORDER BY s.started_at, s.id
            """
        ).map { row in
            let (sender, host, pid, started, seen, sent, failed, uncertain, holding) =
                try row.decode((String, String, Int, Date, Date, Int, Int, Int, Int).self)
            return SenderProgress(
                sender: sender, host: host, pid: pid, startedAt: started, seenAt: seen, sent: sent, failed: failed,
                uncertain: uncertain, holding: holding)
        }
    }
}
