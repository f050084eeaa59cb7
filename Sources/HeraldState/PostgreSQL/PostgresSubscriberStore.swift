import Foundation
import HeraldBase
import PostgresNIO

/// `SubscriberStore` in a PostgreSQL state: the same rows, statuses, tokens and consent
/// records, each change one transaction.
public struct PostgresSubscriberStore: SubscriberStorage {
    let state: PostgresState
    public init(state: PostgresState) { self.state = state }

    public func add(_ address: EmailAddress, name: SubscriberName?, now: Date) throws -> SubscriberStore.AddOutcome {
        try state.session.transaction { s in try Self.add(s, address, name: name?.description, reactivate: true, now: now) }
    }

    /// The same rule as `SubscriberStore.add`, inside the caller's transaction.
    static func add(
        _ s: PostgresSession, _ address: EmailAddress, name: String?, status: Subscriber.Status = .active,
        reactivate: Bool, now: Date
    ) throws -> SubscriberStore.AddOutcome {
        let key = address.key
        let name = PostgresText.storable(name)
        try PostgresAddressLock.lock(s, key: key)
        if let current = try s.query("SELECT status FROM subscribers WHERE address_key = \(key)").first?.decode(String.self) {
            if current == Subscriber.Status.active.rawValue { return .alreadyActive }
            guard reactivate else { return .alreadyActive }
            // A new subscription, a new token: links mailed before the re-subscribe stop working.
            try s.query(
                """
                UPDATE subscribers SET status = 'active', name = COALESCE(\(name), name), changed_at = \(now),
                  unsubscribe_token = \(SubscriptionToken.random().description), accepts_legacy_token = false
                WHERE address_key = \(key)
                """)
            return .resubscribed
        }
        try s.query(
            """
            INSERT INTO subscribers (address, address_key, name, status, created_at, changed_at, unsubscribe_token)
            VALUES (\(address.description), \(key), \(name), \(status.rawValue), \(now), \(now),
                    \(SubscriptionToken.random().description))
            """)
        return .added
    }

    public func setStatus(_ address: EmailAddress, _ status: Subscriber.Status, now: Date) throws -> Bool {
        try state.session.transaction { s in
            let changed =
                try s.query(
                    """
                    UPDATE subscribers SET status = \(status.rawValue), changed_at = \(now)
                    WHERE address_key = \(address.key) AND status <> \(status.rawValue)
                    """
                ).metadata.rows ?? 0
            if changed > 0 { return true }
            return try s.query("SELECT 1 FROM subscribers WHERE address_key = \(address.key)").first != nil
        }
    }

    public func list(includeInactive: Bool) throws -> [SubscriberStore.Entry] {
        try state.session.query(
            """
            SELECT id, address, name, status, unsubscribe_token, created_at, changed_at FROM subscribers
            WHERE \(includeInactive) OR status = 'active' ORDER BY id
            """
        ).map { row in
            let (id, address, name, status, token, created, changed) =
                try row.decode((Int64, String, String?, String, String?, Date, Date).self)
            return SubscriberStore.Entry(
                subscriber: Self.subscriber(id, address, name, status, token), createdAt: created, changedAt: changed)
        }
    }

    static func subscriber(_ id: Int64, _ address: String, _ name: String?, _ status: String, _ token: String?) -> Subscriber {
        Subscriber(
            id: id, address: EmailAddress(stored: address), name: name, status: Subscriber.Status(rawValue: status) ?? .active,
            unsubscribeToken: token.flatMap(SubscriptionToken.init))
    }

    public func count(_ status: Subscriber.Status) throws -> Int {
        try state.session.query("SELECT COUNT(*)::bigint FROM subscribers WHERE status = \(status.rawValue)").first?.decode(Int.self)
            ?? 0
    }

    /// As `SubscriberStore.importList`: one transaction, rolled back for a dry run.
    public func importList(_ text: String, path: String, dryRun: Bool, now: Date) throws -> SubscriberStore.ImportReport {
        let list = SubscriberImport(text, path: path)
        var report = SubscriberStore.ImportReport(alreadyPresent: list.repeats, problems: list.problems)
        do {
            try state.session.transaction { s in
                for candidate in list.candidates {
                    switch try Self.add(
                        s, candidate.address, name: candidate.name?.description, status: candidate.status, reactivate: false,
                        now: now)
                    {
                    case .added:
                        report.added += 1
                        // Only for a subscriber this import adds: an existing one keeps the record it has.
                        for consent in candidate.consents {
                            try PostgresSubscriptions.record(
                                s, candidate.address.key, consent.action.rawValue, at: consent.at, client: consent.client,
                                userAgent: consent.userAgent, page: consent.page, source: consent.source ?? list.source)
                        }
                    case .alreadyActive, .resubscribed: report.alreadyPresent += 1
                    }
                }
                if dryRun { throw DryRun() }
            }
        } catch is DryRun {}
        return report
    }

    /// Rolls the dry run's transaction back once everything was counted.
    private struct DryRun: Error {}

    public func exportCSV() throws -> String {
        var out = SubscriberStore.exportHeader
        let rows = try state.session.query(
            """
            SELECT s.id, s.address, s.name, s.status, s.unsubscribe_token, c.at, c.client, c.user_agent, c.page, c.source,
                r.at, r.client FROM subscribers s
            LEFT JOIN consents c ON c.id = (SELECT MAX(id) FROM consents WHERE address_key = s.address_key AND action = 'confirmed')
            LEFT JOIN consents r ON r.id = (SELECT MAX(id) FROM consents WHERE address_key = s.address_key AND action = 'requested')
            ORDER BY s.id
            """)
        for row in rows {
            let (id, address, name, status, token, consentAt, client, agent, page, source, requestedAt, requestedClient) =
                try row.decode(
                    (Int64, String, String?, String, String?, Date?, String?, String?, String?, String?, Date?, String?).self)
            out += SubscriberStore.exportLine(
                Self.subscriber(id, address, name, status, token), consentAt: consentAt, consent: [client, agent, page, source],
                requestedAt: requestedAt, requestedClient: requestedClient)
        }
        return out
    }
}
