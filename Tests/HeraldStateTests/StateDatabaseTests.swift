import Foundation
import GRDB
import HeraldBase
import HeraldTestSupport
import Testing

@testable import HeraldState

@Suite struct StateDatabaseTests {
    @Test func commitsAreSyncedToDisk() throws {
        let dir = try TempDir()
        let db = try StateDatabase(directory: dir.url)
        // 2 = FULL. GRDB's pool sets NORMAL on WAL databases, under which the last commits
        // (marks and outcomes) vanish on power loss and their messages are sent again.
        #expect(try db.pool.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 2)
    }

    @Test func readOnlyOpensWhatExistsAndCreatesNothing() throws {
        let dir = try TempDir()
        let missing = dir.url.appendingPathComponent("none")
        #expect(throws: StateDatabase.Missing.self) { try StateDatabase.readOnly(directory: missing) }
        #expect(!FileManager.default.fileExists(atPath: missing.path))
        _ = try SubscriberStore(database: try StateDatabase(directory: dir.url)).add(EmailAddress("a@example.org"), name: nil)
        let reader = try StateDatabase.readOnly(directory: dir.url)
        #expect(try SubscriberStore(database: reader).list().map(\.subscriber.address.description) == ["a@example.org"])
        #expect(throws: (any Error).self) { try SubscriberStore(database: reader).add(EmailAddress("b@example.org"), name: nil) }
    }
}
