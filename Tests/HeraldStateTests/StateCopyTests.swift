import Foundation
import GRDB
import HeraldBase
import HeraldTestSupport
import PostgresNIO
import Testing

@testable import HeraldState

/// A publication's state moved from SQLite into PostgreSQL and back with nothing lost.
@Suite(.enabled(if: TestPostgres.available, "no PostgreSQL cluster: run through scripts/test-postgres"))
struct StateCopyTests {
    /// A SQLite state with a row in every table, and the values that are easy to get wrong:
    /// a time far in the future, a fraction of a second, a NULL, a boolean, non-ASCII text.
    func filledState(_ dir: TempDir) throws -> StateDatabase {
        let database = try StateDatabase(directory: dir.url)
        let store = SubscriberStore(database: database)
        let created = Date(timeIntervalSinceReferenceDate: 786_000_000.123)
        for n in 1...40 {
            _ = try store.add(EmailAddress("r\(n)@bücher.example"), name: n % 3 == 0 ? nil : SubscriberName("读者 \(n)"), now: created)
        }
        let journal = DeliveryJournal(database: database)
        try journal.create(
            DigestRecord(
                number: 1, postIDs: ["/a/", "/b/"], subject: "周报 #1", createdAt: created,
                newestPostDate: Date(timeIntervalSinceReferenceDate: 786_000_000.000_123_4)))
        let claims = try journal.claim(digest: 1, limit: 3, now: created)
        try journal.record([
            (claims[0].deliveryID, .sent(messageID: "<1@x>", reply: "250 ok")),
            (claims[1].deliveryID, .retry(reply: "451 later", retryAt: nil)),
            (claims[2].deliveryID, .bounced(reply: "550 5.1.1 no such user")),
        ])
        try database.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO consents (address_key, action, at, client, user_agent, page, source)
                    VALUES ('r1@xn--bcher-kva.example', 'confirmed', ?, '192.0.2.1', 'UA', '/subscribe/', NULL),
                           ('r2@xn--bcher-kva.example', 'requested', ?, NULL, NULL, NULL, 'imported from a.csv')
                    """, arguments: [created, created])
            try db.execute(
                sql: """
                    INSERT INTO pending_subscriptions (address_key, address, name, token_hash, created_at, expires_at, mailed_at)
                    VALUES ('p@example.org', 'p@example.org', NULL, 'abc', ?, ?, ?)
                    """, arguments: [created, created.addingTimeInterval(86400), created])
            try db.execute(
                sql: """
                    INSERT INTO bounce_reports (message_id, kind, subscriber, recipient, status_code, detail, decision, received_at)
                    VALUES ('<b@x>', 'hard', 3, 'r3@bücher.example', '5.1.1', 'gone', 'bounced', ?)
                    """, arguments: [created])
            try db.execute(
                sql: "INSERT INTO feed_fetches (url, etag, last_modified, body, fetched_at) VALUES (?, ?, NULL, ?, ?)",
                arguments: ["https://e.example/feed.xml", "\"abc\"", Data([0, 1, 0xFF, 0x3C]), created])
            try db.execute(
                sql: "INSERT INTO feed_entries (entry_id, first_seen) VALUES ('urn:1', 786000000.000123)")
        }
        return database
    }

    @Test func aStateGoesToPostgreSQLAndBackUnchanged() throws {
        let server = try #require(try TestPostgres.freshState())
        let origin = try TempDir()
        let source = try filledState(origin)
        let there = try StateCopy.copy(from: source, to: server)
        #expect(there.map(\.table) == StateCopy.tables.map(\.name))
        #expect(there.allSatisfy { $0.matches })
        #expect(there.first { $0.table == "subscribers" }?.targetRows == 40)
        let back = try TempDir()
        let returned = try StateCopy.copy(from: server, to: try StateDatabase(directory: back.url))
        #expect(returned.map(\.targetChecksum) == there.map(\.sourceChecksum))
        // Rows the server numbers after the copy do not collide with the copied ones.
        try server.session.query(
            """
            INSERT INTO subscribers (address, address_key, status, created_at, changed_at, unsubscribe_token)
            VALUES ('new@example.org', 'new@example.org', 'active', now(), now(), 'ffffffffffffffffffffffffffffffff')
            """)
    }

    @Test func aTargetWithRowsIsRefused() throws {
        let server = try #require(try TestPostgres.freshState())
        let origin = try TempDir()
        let source = try filledState(origin)
        _ = try StateCopy.copy(from: source, to: server)
        #expect(throws: StateCopy.Failure.self) { try StateCopy.copy(from: source, to: server) }
    }
}
