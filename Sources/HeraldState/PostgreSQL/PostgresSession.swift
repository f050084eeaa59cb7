import Foundation
import HeraldConfig
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// One connection to the state database, used synchronously: the state's callers are plain
/// threads (the sender's connections, the journal writer, a command), never an event loop,
/// so each statement waits for its answer where it was issued. Statements and transactions of
/// several threads take turns; a thread whose transactions must not wait opens its own session.
package final class PostgresSession: @unchecked Sendable {
    package let server: StateServer
    /// Replaced when the server closed it (a restart, a failover, an idle timeout), before
    /// the next statement outside a transaction: a long-running `herald serve` loses the
    /// request that met the closed connection, not every request after it.
    private var connection: PostgresConnection
    private let configuration: PostgresConnection.Configuration
    private let logger: Logger
    /// How deep in `transaction` the current thread is (0: none): a connection lost inside
    /// one fails the transaction, and is replaced only once it has ended.
    private var depth = 0
    /// Held for a statement, and for a whole transaction, so another thread's statement
    /// (the lease keeper's) never lands inside it.
    private let lock = NSRecursiveLock()

    /// postgres-nio's own logs stay quiet: what goes wrong reaches the caller as an error.
    static let quiet = Logger(label: "herald.state.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    package init(server: StateServer, password: String?) throws(PostgresStateError) {
        self.server = server
        logger = Self.quiet
        var configuration = PostgresConnection.Configuration(
            host: server.host, port: server.port, username: server.user ?? Self.systemUser(),
            password: password, database: server.database, tls: try PostgresTLS.setting(for: server))
        configuration.options.connectTimeout = .seconds(10)
        self.configuration = configuration
        connection = try Self.connect(server: server, configuration: configuration, logger: logger)
    }

    private static func connect(
        server: StateServer, configuration: PostgresConnection.Configuration, logger: Logger
    ) throws(PostgresStateError) -> PostgresConnection {
        do {
            return try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: 1, logger: logger
            ).wait()
        } catch {
            if let tls = PostgresTLS.failure(error, server: server) { throw tls }
            throw .connect(server: server.description, reason: Self.reason(error))
        }
    }

    /// A new connection in place of one the server closed; only between transactions.
    /// The session's settings (`setSession`) are made again on it before anything else.
    private func reconnectIfClosed() throws(PostgresStateError) {
        guard depth == 0, connection.isClosed else { return }
        connection = try Self.connect(server: server, configuration: configuration, logger: logger)
        prepared.removeAll()
        for statement in sessionSettings { _ = try run(statement) }
    }

    /// Statements every connection of this session runs first (a read-only session's).
    private var sessionSettings: [PostgresQuery] = []
    /// The statements prepared on the current connection, by their text (see `execute`).
    private var prepared: [String: PreparedQuery] = [:]

    /// Runs `statement` now and again on every connection that replaces this one.
    package func setSession(_ statement: PostgresQuery) throws(PostgresStateError) {
        lock.lock()
        defer { lock.unlock() }
        sessionSettings.append(statement)
        _ = try run(statement)
    }

    // postgres-nio requires a connection closed before it goes away; sessions live on plain threads.
    deinit { close() }

    /// The operating-system user's name: libpq's default for a URL without `user=`.
    static func systemUser() -> String {
        ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? NSUserName()
    }

    /// Runs one statement and returns every row.
    @discardableResult
    package func query(_ query: PostgresQuery) throws(PostgresStateError) -> PostgresQueryResult {
        lock.lock()
        defer { lock.unlock() }
        try reconnectIfClosed()
        return try run(query)
    }

    private func run(_ query: PostgresQuery) throws(PostgresStateError) -> PostgresQueryResult {
        do { return try connection.query(query, logger: logger).wait() } catch {
            throw .query(server: server.description, reason: Self.reason(error))
        }
    }

    /// Runs a statement that is parsed (and, once the server settles on a generic plan,
    /// planned) once per connection, not at every call: for the statements a send runs per
    /// message or per commit, where parsing and planning cost the server more than running
    /// them. Every `$n` in its text carries a cast to the type its argument is encoded as.
    package func execute(_ statement: PostgresStatement, _ arguments: PostgresArguments) throws(PostgresStateError) -> [PostgresRow] {
        lock.lock()
        defer { lock.unlock() }
        try reconnectIfClosed()
        do {
            let query: PreparedQuery
            if let known = prepared[statement.sql] {
                query = known
            } else {
                query = try connection.prepare(query: statement.sql).wait()
                prepared[statement.sql] = query
            }
            return try query.execute(arguments.values).wait()
        } catch {
            throw .query(server: server.description, reason: Self.reason(error))
        }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    package func transaction<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        try query("BEGIN")
        depth += 1
        defer { depth -= 1 }
        do {
            let result = try body(self)
            try query("COMMIT")
            return result
        } catch {
            _ = try? query("ROLLBACK")
            throw error
        }
    }

    package func close() { _ = try? (connection.close() as EventLoopFuture<Void>).wait() }

    /// The server's own words (its SQLSTATE message), not postgres-nio's generic wrapper,
    /// which hides them unless asked; never the bound values.
    static func reason(_ error: any Error) -> String {
        if let psql = error as? PSQLError {
            if let message = psql.serverInfo?[.message] {
                let state = psql.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                return message + state
            }
            if let underlying = psql.underlying { return "\(underlying)" }
            return "\(psql.code)"
        }
        return "\(error)"
    }
}
