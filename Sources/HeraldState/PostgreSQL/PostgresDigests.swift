import Foundation
import PostgresNIO

/// The digests of a PostgreSQL state, as several senders starting at once meet them: the
/// first to journal digest N creates it with one pending delivery per active subscriber,
/// atomically; the others find it there and join it, never creating a second one.
public struct PostgresDigests: Sendable {
    let state: PostgresState
    public init(state: PostgresState) { self.state = state }

    public enum Creation: Sendable, Equatable {
        /// This sender journaled it, with this many deliveries.
        case created(deliveries: Int)
        /// Another sender journaled the same number first: send what it owes.
        case joined
    }

    /// Journals `digest` and its deliveries in one transaction, unless the number is taken.
    public func create(_ digest: DigestRecord) throws -> Creation {
        let ids = String(decoding: try JSONEncoder().encode(digest.postIDs), as: UTF8.self)
        return try state.session.transaction { s in
            let inserted =
                try s.query(
                    """
                    INSERT INTO digests (number, post_ids, subject, created_at, newest_post_date)
                    VALUES (\(digest.number), \(ids), \(digest.subject), \(digest.createdAt),
                            \(digest.newestPostDate.timeIntervalSinceReferenceDate))
                    ON CONFLICT (number) DO NOTHING
                    """
                ).metadata.rows ?? 0
            guard inserted == 1 else { return .joined }
            let deliveries =
                try s.query(
                    """
                    INSERT INTO deliveries (digest, subscriber, status, attempts, created_at, changed_at)
                    SELECT \(digest.number), id, 'pending', 0, \(digest.createdAt), \(digest.createdAt)
                    FROM subscribers WHERE status = 'active' ORDER BY id
                    """
                ).metadata.rows ?? 0
            return .created(deliveries: deliveries)
        }
    }

    /// The newest digest journaled (it counts as sent for the selection of the next one).
    public func last() throws -> DigestRecord? {
        try state.session.query("SELECT number, post_ids, subject, created_at, newest_post_date FROM digests ORDER BY number DESC LIMIT 1")
            .first.map(Self.digest)
    }

    /// The oldest digest that still owes a delivery: senders resume it before a new one.
    public func unfinished() throws -> DigestRecord? {
        try state.session.query(
            """
            SELECT number, post_ids, subject, created_at, newest_post_date FROM digests
            WHERE number IN (SELECT digest FROM deliveries WHERE status IN ('pending','sending'))
            ORDER BY number LIMIT 1
            """
        ).first.map(Self.digest)
    }

    static func digest(_ row: PostgresRow) throws -> DigestRecord {
        let (number, postIDs, subject, created, newest) = try row.decode((Int, String, String, Date, Double).self)
        let ids = (try? JSONDecoder().decode([String].self, from: Data(postIDs.utf8))) ?? []
        return DigestRecord(
            number: number, postIDs: ids, subject: subject, createdAt: created,
            newestPostDate: Date(timeIntervalSinceReferenceDate: newest))
    }
}
