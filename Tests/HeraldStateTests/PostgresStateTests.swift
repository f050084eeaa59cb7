import Foundation
import GRDB
import HeraldBase
import HeraldConfig
import HeraldTestSupport
import PostgresNIO
import Testing

@testable import HeraldState

@Suite(.enabled(if: TestPostgres.available, "no PostgreSQL cluster: run through scripts/test-postgres"))
struct PostgresStateTests {
    @Test func migratingAgainChangesNothing() throws {
        let state = try #require(try TestPostgres.freshState())
        let before = try state.columns()
        let again = try PostgresState(server: state.server)
        #expect(try again.columns() == before)
        let steps = try state.session.query("SELECT COUNT(*) FROM herald_migrations").first?.decode(Int.self)
        #expect(steps == PostgresMigrations.steps.count)
    }

    /// The two backends hold the same tables and columns, so a publication moves between
    /// them with nothing lost; only the claims of several senders are PostgreSQL's own.
    @Test func schemaIsSQLitesSchema() throws {
        let state = try #require(try TestPostgres.freshState())
        let dir = try TempDir()
        let sqlite = try StateDatabase(directory: dir.url)
        let sqliteColumns = try sqlite.pool.read { db in
            var result: [String: Set<String>] = [:]
            for table in try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'")
            {
                result[table] = Set(try db.columns(in: table).map(\.name))
            }
            return result
        }
        var serverColumns = try state.columns()
        for table in PostgresMigrations.serverOnlyTables { serverColumns[table] = nil }
        for (table, extra) in PostgresMigrations.serverOnlyColumns { serverColumns[table]?.subtract(extra) }
        #expect(serverColumns == sqliteColumns)
    }

    @Test func aPasswordComesFromTheEnvironmentThenTheFileThenTheCredential() throws {
        let server = StateServer(host: "127.0.0.1", database: "herald")
        let dir = try TempDir()
        let file = dir.url.appendingPathComponent("password")
        try "from-file\n".write(to: file, atomically: true, encoding: .utf8)
        let credentials = dir.url.appendingPathComponent("credentials")
        try FileManager.default.createDirectory(at: credentials, withIntermediateDirectories: true)
        try "from-credential".write(to: credentials.appendingPathComponent("state-password"), atomically: true, encoding: .utf8)
        let systemd = ["CREDENTIALS_DIRECTORY": credentials.path]
        #expect(try server.password(file: file, environment: ["HERALD_STATE_PASSWORD": "from-env"]) == "from-env")
        #expect(try server.password(file: file, environment: systemd) == "from-file")
        #expect(try server.password(file: nil, environment: systemd) == "from-credential")
        #expect(try server.password(file: nil, environment: [:]) == nil)
        #expect(throws: PostgresStateError.self) {
            try server.password(file: dir.url.appendingPathComponent("missing"), environment: [:])
        }
    }

    @Test func aWrongPasswordIsRefusedWithoutShowingIt() throws {
        let base = try #require(try TestPostgres.server)
        do {
            _ = try PostgresState(server: base, environment: ["HERALD_STATE_PASSWORD": "not-the-password-x7"])
            Issue.record("the server accepted a wrong password")
        } catch {
            #expect(error.exitStatus == .unavailable)
            #expect(!error.description.contains("not-the-password-x7"))
            #expect(error.description.contains("password authentication failed"), "\(error.description)")
        }
    }
}
