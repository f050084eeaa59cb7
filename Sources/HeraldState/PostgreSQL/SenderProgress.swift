import Foundation
import PostgresNIO

/// What one sender of a digest has done, for `herald status` where several senders share
/// a digest: its rows by outcome, what it holds now, and when it was last heard of.
public struct SenderProgress: Sendable, Equatable, Encodable {
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
    /// It holds rows whose lease has run out: it stopped renewing (killed, or cut off from
    /// the database), and the other senders take them over.
    public let leaseRanOut: Bool

    /// Every sender registered for `digest`, in the order they started.
    public static func of(digest: Int, in state: PostgresState) throws -> [SenderProgress] {
        try of(digest: digest, session: state.session)
    }

    static func of(digest: Int, session: PostgresSession) throws -> [SenderProgress] {
        try session.query(
            """
            SELECT s.id, s.host, s.pid, s.started_at, s.seen_at,
              COUNT(*) FILTER (WHERE d.status = 'sent'),
              COUNT(*) FILTER (WHERE d.status = 'failed'),
              COUNT(*) FILTER (WHERE d.status = 'uncertain'),
              COUNT(*) FILTER (WHERE d.status IN ('pending','sending')),
              COALESCE(MIN(d.lease_until) FILTER (WHERE d.status IN ('pending','sending')) < now(), false)
            FROM senders s LEFT JOIN deliveries d ON d.claimed_by = s.id AND d.digest = s.digest
            WHERE s.digest = \(digest)
            GROUP BY s.id, s.host, s.pid, s.started_at, s.seen_at
            ORDER BY s.started_at, s.id
            """
        ).map { row in
            let (sender, host, pid, started, seen, sent, failed, uncertain, holding, ranOut) =
                try row.decode((String, String, Int, Date, Date, Int, Int, Int, Int, Bool).self)
            return SenderProgress(
                sender: sender, host: host, pid: pid, startedAt: started, seenAt: seen, sent: sent, failed: failed,
                uncertain: uncertain, holding: holding, leaseRanOut: ranOut)
        }
    }
}
