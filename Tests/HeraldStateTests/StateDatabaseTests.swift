import GRDB
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
}
