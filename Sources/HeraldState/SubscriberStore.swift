import Foundation
import GRDB
import HeraldBase

/// Subscribers of one publication: add, remove, list, import, export.
/// Removing keeps the row as `unsubscribed`, so a later bulk import cannot
/// silently re-subscribe someone who left.
public struct SubscriberStore: Sendable {
    let database: StateDatabase
    public init(database: StateDatabase) { self.database = database }

    public enum AddOutcome: Sendable, Equatable { case added, alreadyActive, resubscribed }

    public struct Entry: Sendable, Hashable {
        public let subscriber: Subscriber
        public let createdAt: Date
        public let changedAt: Date
    }

    /// `herald subscribers add`: an explicit request, so it also re-activates.
    public func add(_ address: EmailAddress, name: String?, now: Date = Date()) throws -> AddOutcome {
        try database.pool.write { db in try Self.add(db, address, name: name, reactivate: true, now: now) }
    }

    static func add(_ db: Database, _ address: EmailAddress, name: String?, status: Subscriber.Status = .active,
                    reactivate: Bool, now: Date) throws -> AddOutcome {
        let key = address.key
        if let row = try Row.fetchOne(db, sql: "SELECT status FROM subscribers WHERE address_key = ?", arguments: [key]) {
            let current: String = row["status"]
            if current == Subscriber.Status.active.rawValue { return .alreadyActive }
            guard reactivate else { return .alreadyActive }
            try db.execute(sql: "UPDATE subscribers SET status = 'active', name = COALESCE(?, name), changed_at = ? WHERE address_key = ?",
                           arguments: [name, now, key])
            return .resubscribed
        }
        try db.execute(sql: """
            INSERT INTO subscribers (address, address_key, name, status, created_at, changed_at) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [address.description, key, name, status.rawValue, now, now])
        return .added
    }

    /// Marks the address unsubscribed; false when it is not known.
    @discardableResult
    public func setStatus(_ address: EmailAddress, _ status: Subscriber.Status, now: Date = Date()) throws -> Bool {
        try database.pool.write { db in
            try db.execute(sql: "UPDATE subscribers SET status = ?, changed_at = ? WHERE address_key = ? AND status <> ?",
                           arguments: [status.rawValue, now, address.key, status.rawValue])
            if db.changesCount > 0 { return true }
            return try Bool.fetchOne(db, sql: "SELECT 1 FROM subscribers WHERE address_key = ?", arguments: [address.key]) ?? false
        }
    }

    public func list(includeInactive: Bool = false) throws -> [Entry] {
        try database.pool.read { db in
            let filter = includeInactive ? "" : "WHERE status = 'active'"
            return try Row.fetchAll(db, sql: "SELECT * FROM subscribers \(filter) ORDER BY id").map(Self.entry)
        }
    }

    public func count(_ status: Subscriber.Status) throws -> Int {
        try database.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM subscribers WHERE status = ?", arguments: [status.rawValue]) ?? 0
        }
    }

    static func entry(_ row: Row) -> Entry {
        Entry(subscriber: subscriber(row), createdAt: row["created_at"], changedAt: row["changed_at"])
    }

    static func subscriber(_ row: Row) -> Subscriber {
        Subscriber(id: row["id"], address: EmailAddress(stored: row["address"]), name: row["name"],
                   status: Subscriber.Status(rawValue: row["status"]) ?? .active)
    }

    // MARK: - CSV

    public struct ImportReport: Sendable {
        public var added = 0
        public var alreadyPresent = 0
        /// `file.csv:7: "x" is not a valid address (no @)`, one per bad row.
        public var problems: [SourceProblem] = []
    }

    /// Imports `address[,name[,status]]` rows (a header row naming the columns is
    /// optional). Bad rows are reported with their line number; the rest are imported
    /// in one transaction. Existing addresses are left as they are.
    public func importCSV(_ text: String, path: String, now: Date = Date()) throws -> ImportReport {
        var report = ImportReport()
        var rows: [(EmailAddress, String?, Subscriber.Status)] = []
        var columns = (address: 0, name: 1 as Int?, status: nil as Int?)
        var seen = Set<String>()
        for (index, record) in CSV.parse(text).enumerated() {
            let fields = record.fields
            if fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            let lowered = fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            if index == 0, let a = lowered.firstIndex(where: { $0 == "address" || $0 == "email" || $0 == "e-mail" }) {
                columns = (a, lowered.firstIndex(of: "name"), lowered.firstIndex(of: "status"))
                continue
            }
            func problem(_ message: String) { report.problems.append(SourceProblem(path: path, line: record.line, message: message)) }
            guard columns.address < fields.count else { problem("no address column"); continue }
            let address: EmailAddress
            do { address = try EmailAddress(fields[columns.address]) } catch { problem(error.description); continue }
            let name = columns.name.flatMap { $0 < fields.count ? fields[$0].trimmingCharacters(in: .whitespaces) : nil }
            var status = Subscriber.Status.active
            if let s = columns.status, s < fields.count, !fields[s].isEmpty {
                guard let parsed = Subscriber.Status(rawValue: lowered[s]) else {
                    problem("status \"\(fields[s])\" is not one of active, unsubscribed, bounced"); continue
                }
                status = parsed
            }
            guard seen.insert(address.key).inserted else { report.alreadyPresent += 1; continue }
            rows.append((address, name?.isEmpty == false ? name : nil, status))
        }
        try database.pool.write { db in
            for (address, name, status) in rows {
                switch try Self.add(db, address, name: name, status: status, reactivate: false, now: now) {
                case .added: report.added += 1
                case .alreadyActive, .resubscribed: report.alreadyPresent += 1
                }
            }
        }
        return report
    }

    /// Every subscriber as CSV that `importCSV` reads back, statuses included.
    public func exportCSV() throws -> String {
        var out = "address,name,status\r\n"
        for entry in try list(includeInactive: true) {
            let s = entry.subscriber
            out += [s.address.description, s.name ?? "", s.status.rawValue].map(CSV.quote).joined(separator: ",") + "\r\n"
        }
        return out
    }
}
