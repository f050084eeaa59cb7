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
            let seconds = now.timeIntervalSinceReferenceDate
            if Self.listable(ids) {
                for chunk in Self.chunks(ids) {
                    try db.execute(
                        sql: "INSERT OR IGNORE INTO feed_entries (entry_id, first_seen) VALUES " + Self.placeholders("(?, ?)", chunk.count),
                        arguments: StatementArguments(chunk.flatMap { [$0, seconds] as [any DatabaseValueConvertible] }))
                }
            } else {
                let statement = try db.cachedStatement(sql: "INSERT OR IGNORE INTO feed_entries (entry_id, first_seen) VALUES (?, ?)")
                for id in ids { try statement.execute(arguments: [id, seconds]) }
            }
            return try Self.firstSeen(ids, db)
        }
    }

    /// Ids go to SQLite a few hundred per statement, not one by one: each statement costs a
    /// prepare, bind and step through GRDB, and a feed holds a thousand entries. A list in
    /// which an id holds a NUL goes one by one: SQLite receives a bound string only up to
    /// its NUL, and the answer is keyed by the ids as given, not as stored.
    private static func listable(_ ids: [String]) -> Bool {
        !ids.contains { $0.utf8.contains(0) }
    }

    /// At most 400 ids (800 bound values) per statement: under the 999 variables of SQLite
    /// builds before 3.32, whatever the system's SQLite.
    private static func chunks(_ ids: [String]) -> [ArraySlice<String>] {
        stride(from: 0, to: ids.count, by: 400).map { ids[$0..<min($0 + 400, ids.count)] }
    }

    /// `count` times `item`, comma separated (`count` ≥ 1).
    private static func placeholders(_ item: String, _ count: Int) -> String {
        String(repeating: item + ", ", count: count - 1) + item
    }

    private static func firstSeen(_ ids: [String], _ db: Database) throws -> [String: Date] {
        guard listable(ids) else { return try firstSeenOneByOne(ids, db) }
        var out: [String: Date] = [:]
        out.reserveCapacity(ids.count)
        for chunk in chunks(ids) {
            let rows = try Row.fetchCursor(
                db,
                sql: "SELECT entry_id, first_seen FROM feed_entries WHERE entry_id IN (" + placeholders("?", chunk.count) + ")",
                arguments: StatementArguments(Array(chunk)))
            while let row = try rows.next() {
                out[row[0] as String] = Date(timeIntervalSinceReferenceDate: row[1] as Double)
            }
        }
        return out
    }

    /// The plain way, a lookup per id: for lists json_each cannot carry, and what the tests
    /// hold the list query to.
    static func firstSeenOneByOne(_ ids: [String], _ db: Database) throws -> [String: Date] {
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
