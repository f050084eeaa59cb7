import Foundation
import GRDB
import HeraldBase

/// Subscribers of one publication: add, remove, list, import, export.
/// Removing keeps the row as `unsubscribed`, so a later bulk import cannot
/// silently re-subscribe someone who left.
public struct SubscriberStore: SubscriberStorage {
    let database: StateDatabase
    public init(database: StateDatabase) { self.database = database }

    public enum AddOutcome: Sendable, Equatable { case added, alreadyActive, resubscribed }

    public struct Entry: Sendable, Hashable {
        public let subscriber: Subscriber
        public let createdAt: Date
        public let changedAt: Date
    }

    /// `herald subscribers add`: an explicit request, so it also re-activates.
    public func add(_ address: EmailAddress, name: SubscriberName?, now: Date = Date()) throws -> AddOutcome {
        try database.pool.write { db in try Self.add(db, address, name: name?.description, reactivate: true, now: now) }
    }

    static func add(
        _ db: Database, _ address: EmailAddress, name: String?, status: Subscriber.Status = .active,
        reactivate: Bool, now: Date
    ) throws -> AddOutcome {
        let key = address.key
        if let row = try Row.fetchOne(db, sql: "SELECT status FROM subscribers WHERE address_key = ?", arguments: [key]) {
            let current: String = row["status"]
            if current == Subscriber.Status.active.rawValue { return .alreadyActive }
            guard reactivate else { return .alreadyActive }
            // A new subscription, a new token: links mailed before the re-subscribe stop working.
            try db.execute(
                sql: """
                    UPDATE subscribers SET status = 'active', name = COALESCE(?, name), changed_at = ?, unsubscribe_token = ?,
                        accepts_legacy_token = 0
                    WHERE address_key = ?
                    """, arguments: [name, now, SubscriptionToken.random().description, key])
            return .resubscribed
        }
        try db.execute(
            sql: """
                INSERT INTO subscribers (address, address_key, name, status, created_at, changed_at, unsubscribe_token)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [address.description, key, name, status.rawValue, now, now, SubscriptionToken.random().description])
        return .added
    }

    /// Marks the address unsubscribed; false when it is not known.
    @discardableResult
    public func setStatus(_ address: EmailAddress, _ status: Subscriber.Status, now: Date = Date()) throws -> Bool {
        try database.pool.write { db in
            try db.execute(
                sql: "UPDATE subscribers SET status = ?, changed_at = ? WHERE address_key = ? AND status <> ?",
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
        Subscriber(
            id: row["id"], address: EmailAddress(stored: row["address"]), name: row["name"],
            status: Subscriber.Status(rawValue: row["status"]) ?? .active,
            unsubscribeToken: (row["unsubscribe_token"] as String?).flatMap(SubscriptionToken.init))
    }

    // MARK: - CSV

    public struct ImportReport: Sendable {
        public var added = 0
        public var alreadyPresent = 0
        /// `file.csv:7: "x" is not a valid address (no @)`, one per bad row.
        public var problems: [SourceProblem] = []
        /// Nothing could be imported although there were rows: the file is not a list.
        public var nothingImportable: Bool { added == 0 && alreadyPresent == 0 && !problems.isEmpty }
    }

    /// Imports a subscriber list (see `SubscriberImport` for the formats). Bad rows are
    /// reported with their line number; the rest are imported in one transaction, or only
    /// counted with `dryRun`. Existing addresses are left as they are: an import never
    /// re-subscribes someone who left.
    public func importList(_ text: String, path: String, dryRun: Bool = false, now: Date = Date()) throws -> ImportReport {
        let list = SubscriberImport(text, path: path)
        var report = ImportReport(alreadyPresent: list.repeats, problems: list.problems)
        try database.pool.writeWithoutTransaction { db in
            try db.inTransaction {
                for candidate in list.candidates {
                    switch try Self.add(
                        db, candidate.address, name: candidate.name?.description, status: candidate.status,
                        reactivate: false, now: now)
                    {
                    case .added:
                        report.added += 1
                        // Only for a subscriber this import adds: an existing one keeps the record it has.
                        for consent in candidate.consents {
                            try Subscriptions.record(db, candidate.address.key, consent, source: consent.source ?? list.source)
                        }
                    case .alreadyActive, .resubscribed: report.alreadyPresent += 1
                    }
                }
                return dryRun ? .rollback : .commit
            }
        }
        return report
    }

    /// Every subscriber as CSV that `importList` reads back, statuses and consent included:
    /// the last confirmation (when, client address, user agent, page, and for one an import
    /// brought, its source), and the last request (when, client address) where there is one.
    /// The export's first line: all of an export with no subscriber.
    public static let exportHeader =
        "address,name,status,consent_at,consent_client,consent_user_agent,consent_page,consent_source,"
        + "requested_at,requested_client\r\n"

    public func exportCSV() throws -> String {
        var out = Self.exportHeader
        let rows = try database.pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT s.*, c.at AS consent_at, c.client, c.user_agent, c.page, c.source,
                        r.at AS requested_at, r.client AS requested_client FROM subscribers s
                    LEFT JOIN consents c ON c.id = (SELECT MAX(id) FROM consents WHERE address_key = s.address_key AND action = 'confirmed')
                    LEFT JOIN consents r ON r.id = (SELECT MAX(id) FROM consents WHERE address_key = s.address_key AND action = 'requested')
                    ORDER BY s.id
                    """)
        }
        for row in rows {
            out += Self.exportLine(
                Self.subscriber(row), consentAt: row["consent_at"],
                consent: [row["client"], row["user_agent"], row["page"], row["source"]],
                requestedAt: row["requested_at"], requestedClient: row["requested_client"])
        }
        return out
    }

    /// One subscriber's line of the export, the same from either database: `consent` is the
    /// last confirmation's client, user agent, page and source.
    static func exportLine(
        _ s: Subscriber, consentAt: Date?, consent: [String?], requestedAt: Date?, requestedClient: String?
    ) -> String {
        func time(_ date: Date?) -> String { date.map { InternetDates.rfc3339($0, offset: 0) } ?? "" }
        let fields: [String] =
            [s.address.description, s.name ?? "", s.status.rawValue, time(consentAt)] + consent.map { $0 ?? "" }
            + [time(requestedAt), requestedClient ?? ""]
        return fields.map(CSV.quote).joined(separator: ",") + "\r\n"
    }
}
