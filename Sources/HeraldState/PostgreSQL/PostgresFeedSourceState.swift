import Foundation
import PostgresNIO

/// `FeedSourceState` in a PostgreSQL state: the last answer per feed address and every
/// entry id seen, with when it first was.
public struct PostgresFeedSourceState: FeedSourceStorage {
    let state: PostgresState
    public init(state: PostgresState) { self.state = state }

    public func cached(url: String) throws -> FeedSourceState.CachedFeed? {
        try state.session.query(
            "SELECT etag, last_modified, body, fetched_at FROM feed_fetches WHERE url = \(PostgresText.storable(url))"
        ).first.map { row in
            let (etag, lastModified, body, fetchedAt) = try row.decode((String?, String?, Data, Date).self)
            return FeedSourceState.CachedFeed(etag: etag, lastModified: lastModified, body: [UInt8](body), fetchedAt: fetchedAt)
        }
    }

    public func store(url: String, etag: String?, lastModified: String?, body: [UInt8], at now: Date) throws {
        try state.session.query(
            """
            INSERT INTO feed_fetches (url, etag, last_modified, body, fetched_at)
            VALUES (\(PostgresText.storable(url)), \(PostgresText.storable(etag)), \(PostgresText.storable(lastModified)),
                    \(Data(body)), \(now))
            ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
              body = excluded.body, fetched_at = excluded.fetched_at
            """)
    }

    public func firstSeen(_ ids: [String]) throws -> [String: Date] {
        try Self.firstSeen(ids, state.session)
    }

    @discardableResult
    public func recordSeen(_ ids: [String], at now: Date) throws -> [String: Date] {
        try state.session.transaction { s in
            try s.query(
                """
                INSERT INTO feed_entries (entry_id, first_seen)
                SELECT id, \(now.timeIntervalSinceReferenceDate) FROM unnest(\(ids.map(PostgresText.storable))::text[]) AS id
                ON CONFLICT (entry_id) DO NOTHING
                """)
            return try Self.firstSeen(ids, s)
        }
    }

    /// One statement for all of `ids`; the answer is keyed by the ids as given.
    private static func firstSeen(_ ids: [String], _ s: PostgresSession) throws -> [String: Date] {
        var stored: [String: [String]] = [:]
        for id in ids { stored[PostgresText.storable(id), default: []].append(id) }
        var out: [String: Date] = [:]
        out.reserveCapacity(ids.count)
        for row in try s.query(
            "SELECT entry_id, first_seen FROM feed_entries WHERE entry_id = ANY(\(Array(stored.keys))::text[])")
        {
            let (id, seconds) = try row.decode((String, Double).self)
            for given in stored[id] ?? [] { out[given] = Date(timeIntervalSinceReferenceDate: seconds) }
        }
        return out
    }
}
