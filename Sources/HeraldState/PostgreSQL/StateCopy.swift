import Crypto
import Foundation
import GRDB
import HeraldBase
import HeraldConfig
import PostgresNIO

/// `herald state copy`: a publication's state moved between SQLite and PostgreSQL, table by
/// table, into an empty state; then both sides are read back and each table's row count and
/// checksum compared, so nothing is lost silently.
public enum StateCopy {
    /// One table after the copy, as each side holds it.
    public struct TableReport: Sendable, Equatable {
        public let table: String
        public let sourceRows: Int
        public let targetRows: Int
        public let sourceChecksum: String
        public let targetChecksum: String
        public var matches: Bool { sourceRows == targetRows && sourceChecksum == targetChecksum }

        /// `subscribers: 40 rows 3f… → 40 rows 3f… same`
        public var line: String {
            "\(table): \(sourceRows) rows \(sourceChecksum) → \(targetRows) rows \(targetChecksum) "
                + (matches ? "same" : "DIFFERENT")
        }
    }

    public enum Failure: ExitStatusError, Sendable {
        case targetNotEmpty(target: String, table: String, rows: Int)
        case mismatch([TableReport])
        case database(String)

        public var description: String {
            switch self {
            case .targetNotEmpty(let target, let table, let rows):
                "\(target): the target state is not empty (\(table) has \(rows) rows); copy into an empty one"
            case .mismatch(let reports):
                "the copy differs from its source in "
                    + reports.filter { !$0.matches }.map(\.table).joined(separator: ", ") + ":\n"
                    + reports.map(\.line).joined(separator: "\n")
            case .database(let reason): reason
            }
        }
        public var exitStatus: ExitStatus {
            switch self {
            case .targetNotEmpty: .cantCreate
            case .mismatch, .database: .ioError
            }
        }
    }

    /// What a column holds, which both databases spell differently (a time is text in
    /// SQLite, a `timestamptz` in PostgreSQL; a boolean an integer in SQLite).
    enum Kind { case integer, real, text, time, boolean, blob }

    /// The tables in the order their references need, with each column's kind; the primary
    /// key first (rows are compared in its order).
    static let tables: [(name: String, columns: [(String, Kind)])] = [
        (
            "subscribers",
            [
                ("id", .integer), ("address", .text), ("name", .text), ("status", .text), ("created_at", .time),
                ("changed_at", .time), ("address_key", .text), ("unsubscribe_token", .text), ("accepts_legacy_token", .boolean),
            ]
        ),
        (
            "digests",
            [("number", .integer), ("post_ids", .text), ("subject", .text), ("created_at", .time), ("newest_post_date", .real)]
        ),
        (
            "deliveries",
            [
                ("id", .integer), ("digest", .integer), ("subscriber", .integer), ("status", .text), ("attempts", .integer),
                ("last_reply", .text), ("message_id", .text), ("retry_at", .time), ("created_at", .time), ("changed_at", .time),
            ]
        ),
        (
            "pending_subscriptions",
            [
                ("address_key", .text), ("address", .text), ("name", .text), ("token_hash", .text), ("created_at", .time),
                ("expires_at", .time), ("mailed_at", .time), ("confirmed_at", .time),
            ]
        ),
        (
            "consents",
            [
                ("id", .integer), ("address_key", .text), ("action", .text), ("at", .time), ("client", .text),
                ("user_agent", .text), ("page", .text), ("source", .text),
            ]
        ),
        (
            "bounce_reports",
            [
                ("id", .integer), ("message_id", .text), ("kind", .text), ("subscriber", .integer), ("recipient", .text),
                ("status_code", .text), ("detail", .text), ("decision", .text), ("received_at", .time),
            ]
        ),
        ("feed_fetches", [("url", .text), ("etag", .text), ("last_modified", .text), ("body", .blob), ("fetched_at", .time)]),
        ("feed_entries", [("entry_id", .text), ("first_seen", .real)]),
    ]

    /// One value, in the form both sides can write and the checksum reads.
    enum Value: Equatable {
        case null
        case integer(Int64)
        case real(Double)
        case text(String)
        case time(Date)
        case boolean(Bool)
        case blob(Data)

        /// Bytes for the checksum. Times count in whole milliseconds: what SQLite keeps.
        func feed(_ hash: inout SHA256) {
            let token: String =
                switch self {
                case .null: "N"
                case .integer(let v): "i\(v)"
                case .real(let v): "r\(String(v.bitPattern, radix: 16))"
                case .text(let v): "t\(v.utf8.count):\(v)"
                case .time(let v): "T\(Int64((v.timeIntervalSince1970 * 1000).rounded()))"
                case .boolean(let v): v ? "b1" : "b0"
                case .blob(let v): "x\(v.count):" + Hex.lowercase(SHA256.hash(data: v))
                }
            hash.update(data: Data((token + "\u{1F}").utf8))
        }
    }

    // MARK: - The two directions

    public static func copy(from source: StateDatabase, to target: PostgresState) throws -> [TableReport] {
        try requireEmpty(target)
        var reports: [TableReport] = []
        for table in tables {
            let rows = try sqliteRows(source, table)
            try target.session.transaction { session in
                try insert(rows, into: table, session: session)
                if table.columns.first?.0 == "id" {
                    // The next row the server numbers comes after the copied ones.
                    try session.query(
                        """
                        SELECT setval(pg_get_serial_sequence(\(table.name), 'id'), COALESCE(MAX(id), 0) + 1, false) FROM \(unescaped: table.name)
                        """)
                }
            }
            reports.append(report(table.name, rows, try postgresRows(target, table)))
        }
        return try checked(reports)
    }

    public static func copy(from source: PostgresState, to target: StateDatabase) throws -> [TableReport] {
        for table in tables {
            let count = try target.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table.name)") ?? 0 }
            if count > 0 { throw Failure.targetNotEmpty(target: target.directory.path, table: table.name, rows: count) }
        }
        var reports: [TableReport] = []
        for table in tables {
            let rows = try postgresRows(source, table)
            try target.pool.write { db in
                let names = table.columns.map(\.0)
                let statement = try db.makeStatement(
                    sql:
                        "INSERT INTO \(table.name) (\(names.joined(separator: ", "))) VALUES (\(names.map { _ in "?" }.joined(separator: ", ")))"
                )
                for row in rows { try statement.execute(arguments: StatementArguments(row.map(sqliteValue))) }
            }
            reports.append(report(table.name, rows, try sqliteRows(target, table)))
        }
        return try checked(reports)
    }

    private static func checked(_ reports: [TableReport]) throws -> [TableReport] {
        guard reports.allSatisfy(\.matches) else { throw Failure.mismatch(reports) }
        return reports
    }

    private static func requireEmpty(_ target: PostgresState) throws {
        for table in tables {
            let count = try target.session.query("SELECT COUNT(*) FROM \(unescaped: table.name)").first?.decode(Int.self) ?? 0
            if count > 0 { throw Failure.targetNotEmpty(target: target.server.description, table: table.name, rows: count) }
        }
    }

    static func report(_ table: String, _ source: [[Value]], _ target: [[Value]]) -> TableReport {
        TableReport(
            table: table, sourceRows: source.count, targetRows: target.count, sourceChecksum: checksum(source),
            targetChecksum: checksum(target))
    }

    static func checksum(_ rows: [[Value]]) -> String {
        var hash = SHA256()
        for row in rows {
            for value in row { value.feed(&hash) }
            hash.update(data: Data([0x1E]))
        }
        return Hex.lowercase(hash.finalize()).prefix(16).description
    }

    // MARK: - SQLite

    static func sqliteRows(_ database: StateDatabase, _ table: (name: String, columns: [(String, Kind)])) throws -> [[Value]] {
        let names = table.columns.map(\.0)
        return try database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(names.joined(separator: ", ")) FROM \(table.name) ORDER BY \(names[0])").map { row in
                try table.columns.enumerated().map { index, column in
                    let value: DatabaseValue = row[index]
                    if value.isNull { return .null }
                    switch column.1 {
                    case .integer: return .integer(Int64.fromDatabaseValue(value) ?? 0)
                    case .real: return .real(Double.fromDatabaseValue(value) ?? 0)
                    case .text: return .text(String.fromDatabaseValue(value) ?? "")
                    case .boolean: return .boolean(Bool.fromDatabaseValue(value) ?? false)
                    case .blob: return .blob(Data.fromDatabaseValue(value) ?? Data())
                    case .time:
                        guard let date = Date.fromDatabaseValue(value) else {
                            throw Failure.database("\(table.name).\(column.0): \(value) is not a time")
                        }
                        return .time(date)
                    }
                }
            }
        }
    }

    static func sqliteValue(_ value: Value) -> DatabaseValue {
        switch value {
        case .null: .null
        case .integer(let v): v.databaseValue
        case .real(let v): v.databaseValue
        case .text(let v): v.databaseValue
        case .boolean(let v): v.databaseValue
        case .blob(let v): v.databaseValue
        case .time(let v): DatabaseTime.value(v)
        }
    }

    // MARK: - PostgreSQL

    static func postgresRows(_ state: PostgresState, _ table: (name: String, columns: [(String, Kind)])) throws -> [[Value]] {
        let names = table.columns.map(\.0)
        let result = try state.session.query(
            "SELECT \(unescaped: names.joined(separator: ", ")) FROM \(unescaped: table.name) ORDER BY \(unescaped: names[0])")
        return try result.map { row in
            try zip(row, table.columns).map { cell, column in
                switch column.1 {
                case .integer: try cell.decode(Int64?.self).map(Value.integer) ?? .null
                case .real: try cell.decode(Double?.self).map(Value.real) ?? .null
                case .text: try cell.decode(String?.self).map(Value.text) ?? .null
                case .boolean: try cell.decode(Bool?.self).map(Value.boolean) ?? .null
                case .time: try cell.decode(Date?.self).map(Value.time) ?? .null
                case .blob: try cell.decode(Data?.self).map(Value.blob) ?? .null
                }
            }
        }
    }

    /// Rows in statements of a few hundred, within the protocol's 65,535 parameters.
    static func insert(_ rows: [[Value]], into table: (name: String, columns: [(String, Kind)]), session: PostgresSession) throws {
        let names = table.columns.map(\.0).joined(separator: ", ")
        let perStatement = max(1, 60_000 / table.columns.count)
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(start + perStatement, rows.count)]
            var bindings = PostgresBindings(capacity: chunk.count * table.columns.count)
            var tuples: [String] = []
            tuples.reserveCapacity(chunk.count)
            for row in chunk {
                var placeholders: [String] = []
                for value in row {
                    switch value {
                    case .null: bindings.appendNull()
                    case .integer(let v): bindings.append(v)
                    case .real(let v): bindings.append(v)
                    case .text(let v): bindings.append(v)
                    case .boolean(let v): bindings.append(v)
                    case .time(let v): bindings.append(v)
                    case .blob(let v): try bindings.append(v)
                    }
                    placeholders.append("$\(bindings.count)")
                }
                tuples.append("(" + placeholders.joined(separator: ", ") + ")")
            }
            try session.query(
                PostgresQuery(
                    unsafeSQL: "INSERT INTO \(table.name) (\(names)) VALUES " + tuples.joined(separator: ", "), binds: bindings))
            start += perStatement
        }
    }
}
