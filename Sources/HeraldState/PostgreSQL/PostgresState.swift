import Foundation
import HeraldBase
import HeraldConfig
import PostgresNIO

/// A publication's state in a PostgreSQL database: the schema brought up to date on open,
/// and sessions (connections) for whoever needs its own transaction.
public final class PostgresState: Sendable {
    public let server: StateServer
    /// Kept to open more sessions; never printed (`StateServer.description` has no password).
    private let password: String?
    /// The session for the state's own short statements.
    package let session: PostgresSession

    /// Whether every session refuses writes: a state opened for a command that only reads.
    package let readOnly: Bool

    /// Connects and migrates. `passwordFile` is `state_password_file`. `readOnly` neither
    /// migrates nor lets any session write (the server refuses it), for commands that only read.
    public init(
        server: StateServer, passwordFile: URL? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment, readOnly: Bool = false
    ) throws(PostgresStateError) {
        self.server = server
        self.readOnly = readOnly
        password = try server.password(file: passwordFile, environment: environment)
        session = try PostgresSession(server: server, password: password)
        if readOnly {
            try Self.refuseWrites(session)
            return
        }
        do { try PostgresMigrations.migrate(session) } catch let error as PostgresStateError { throw error } catch {
            throw .query(server: server.description, reason: "\(error)")
        }
    }

    /// A connection of its own, for a thread that runs its own transactions.
    package func newSession() throws(PostgresStateError) -> PostgresSession {
        let session = try PostgresSession(server: server, password: password)
        if readOnly { try Self.refuseWrites(session) }
        return session
    }

    private static func refuseWrites(_ session: PostgresSession) throws(PostgresStateError) {
        try session.setSession("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    }

    /// The tables of the state and their columns, as the server describes them.
    package func columns() throws -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        let rows = try session.query(
            "SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = current_schema()")
        for row in rows {
            let (table, column) = try row.decode((String, String).self)
            result[table, default: []].insert(column)
        }
        return result
    }
}

extension PostgresState {
    /// Creates an empty database beside this one on the same server (for tests and `state copy`).
    /// `name` is an identifier Herald chose: lower-case letters, digits and `_` only.
    package func createDatabase(named name: String) throws {
        precondition(name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") })
        try session.query("CREATE DATABASE \(unescaped: name)")
    }
}

extension PostgresState {
    /// What `herald check` asks, changing nothing: can the database be reached with the
    /// password given, and is its schema this Herald's (false: it is created or brought up
    /// to date on first use)?
    public static func probe(
        server: StateServer, passwordFile: URL?, environment: [String: String]
    ) throws(PostgresStateError) -> Bool {
        let session = try PostgresSession(server: server, password: try server.password(file: passwordFile, environment: environment))
        defer { session.close() }
        do { return try PostgresMigrations.isCurrent(session) } catch let error as PostgresStateError { throw error } catch {
            throw .query(server: server.description, reason: "\(error)")
        }
    }
}
