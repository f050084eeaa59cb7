import Foundation
import GRDB
import GRDBSQLite

/// Reads one subscriber's status as committed at this moment, for one sender connection
/// before each message starts. Its own read-only SQLite connection with the statement
/// prepared once: each read is one autocommit SELECT (its own read transaction in WAL
/// mode, so it sees every commit made before it), without taking a reader from the pool,
/// hopping onto its dispatch queue or looking the statement up by its SQL every message,
/// which cost the send about a sixth of its CPU.
/// Not thread-safe: one reader belongs to one thread.
public final class SubscriptionReader: SubscriberStatusReader {
    private var connection: OpaquePointer?
    private var statement: OpaquePointer?
    private static let sql = "SELECT status FROM subscribers WHERE id = ?"

    init(path: String, busyTimeoutMilliseconds: Int32 = 10_000) throws(DatabaseError) {
        let flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
        var opened: OpaquePointer? = nil
        let code = sqlite3_open_v2(path, &opened, flags, nil)
        connection = opened
        guard code == SQLITE_OK else { throw failure(code, "cannot open \(path)") }
        sqlite3_busy_timeout(connection, busyTimeoutMilliseconds)
        var prepared: OpaquePointer? = nil
        let prepareCode = sqlite3_prepare_v3(
            connection, Self.sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &prepared, nil)
        guard prepareCode == SQLITE_OK else { throw failure(prepareCode, nil) }
        statement = prepared
    }

    deinit {
        sqlite3_finalize(statement)
        sqlite3_close_v2(connection)
    }

    /// The status committed now; nil when the subscriber row is gone.
    public func status(of subscriber: Int64) throws(DatabaseError) -> Subscriber.Status? {
        defer {
            // Ends the read transaction now, not at the next read.
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        sqlite3_bind_int64(statement, 1, subscriber)
        switch sqlite3_step(statement) {
        case SQLITE_ROW:
            guard let text = sqlite3_column_text(statement, 0) else { return nil }
            let count = Int(sqlite3_column_bytes(statement, 0))
            let raw = String(decoding: UnsafeRawBufferPointer(start: text, count: count), as: UTF8.self)
            return Subscriber.Status(rawValue: raw)
        case SQLITE_DONE:
            return nil
        case let code:
            throw failure(code, nil)
        }
    }

    private func failure(_ code: Int32, _ context: String?) -> DatabaseError {
        let message = connection.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
        return DatabaseError(
            resultCode: ResultCode(rawValue: code),
            message: context.map { "\($0): \(message)" } ?? message,
            sql: Self.sql)
    }
}

extension DeliveryJournal {
    /// A read-only SQLite connection of the connection's own (see `SubscriptionReader`).
    public func statusReader() throws -> any SubscriberStatusReader {
        try SubscriptionReader(path: database.directory.appendingPathComponent(StateDatabase.fileName).path)
    }
}
