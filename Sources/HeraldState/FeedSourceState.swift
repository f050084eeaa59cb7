import Foundation
import GRDB

/// What the state database keeps for a publication fed by another site's feed: the last
/// answer (to ask "changed since?" and to read again after a 304) and every entry id seen.
public struct FeedSourceState: FeedSourceStorage {
    let database: StateDatabase
    public init(database: StateDatabase) { self.database = database }

    /// The last full answer for one feed address.
    public struct CachedFeed: Sendable, Equatable {
        public let etag: String?
        public let lastModified: String?
        public let body: [UInt8]
        public let fetchedAt: Date
    }

    public func cached(url: String) throws -> CachedFeed? {
        try database.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM feed_fetches WHERE url = ?", arguments: [url]).map { row in
                CachedFeed(
                    etag: row["etag"], lastModified: row["last_modified"], body: [UInt8](row["body"] as Data),
                    fetchedAt: row["fetched_at"])
            }
        }
    }

    public func store(url: String, etag: String?, lastModified: String?, body: [UInt8], at now: Date) throws {
        try database.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO feed_fetches (url, etag, last_modified, body, fetched_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
                      body = excluded.body, fetched_at = excluded.fetched_at
                    """, arguments: [url, etag, lastModified, Data(body), now])
        }
    }

    /// When each of `ids` was first seen; ids never seen are missing from the answer.
    public func firstSeen(_ ids: [String]) throws -> [String: Date] {
        try database.pool.read { db in try Self.firstSeen(ids, db) }
    }

    /// Records `ids` as seen at `now` (ids seen before keep their first time), and returns
    /// the first time of every one of them.
    @discardableResult
    public func recordSeen(_ ids: [String], at now: Date) throws -> [String: Date] {
        try database.pool.write { db in
            let statement = try db.cachedStatement(sql: "INSERT OR IGNORE INTO feed_entries (entry_id, first_seen) VALUES (?, ?)")
            for id in ids { try statement.execute(arguments: [id, now.timeIntervalSinceReferenceDate]) }
            return try Self.firstSeen(ids, db)
        }
    }

    private static func firstSeen(_ ids: [String], _ db: Database) throws -> [String: Date] {
        var out: [String: Date] = [:]
        out.reserveCapacity(ids.count)
        let statement = try db.cachedStatement(sql: "SELECT first_seen FROM feed_entries WHERE entry_id = ?")
        for id in ids {
            if let seconds = try Double.fetchOne(statement, arguments: [id]) {
                out[id] = Date(timeIntervalSinceReferenceDate: seconds)
            }
        }
        return out
    }
}
