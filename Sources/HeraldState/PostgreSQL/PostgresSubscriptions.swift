import Foundation
import HeraldBase
import PostgresNIO

/// `Subscriptions` in a PostgreSQL state, for one server or several on the same database:
/// the same pending rows, tokens and consent records, each change one transaction. What
/// SQLite's single writer serializes, an advisory lock per address does here
/// (`PostgresAddressLock`), and a batch of unsubscribes locks its rows in one order, so
/// two servers' batches never deadlock.
public struct PostgresSubscriptions: SubscriptionStorage {
    let state: PostgresState
    /// Set where the publication's secret is at hand, so links from before opaque tokens still work.
    let legacyTokens: LegacyUnsubscribeToken?
    public init(state: PostgresState, legacyTokens: LegacyUnsubscribeToken? = nil) {
        self.state = state
        self.legacyTokens = legacyTokens
    }

    public func request(
        _ address: EmailAddress, name: SubscriberName?, consent: Subscriptions.Consent,
        lifetime: TimeInterval, window: TimeInterval
    ) throws -> Subscriptions.RequestOutcome {
        let key = address.key
        return try state.session.transaction { s in
            try PostgresAddressLock.lock(s, key: key)
            let last = try Self.lastRequest(s, key)
            if let at = last.at, consent.at.timeIntervalSince(at) < window { return .throttled }
            if last.active {
                try Self.record(s, key, "requested", consent)
                return .alreadyActive
            }
            let token = SubscriptionToken.random()
            try s.query(
                """
                INSERT INTO pending_subscriptions (address_key, address, name, token_hash, created_at, expires_at, mailed_at)
                VALUES (\(key), \(address.description), \(PostgresText.storable(name?.description)), \(token.digest), \(consent.at),
                        \(consent.at.addingTimeInterval(lifetime)), \(consent.at))
                ON CONFLICT (address_key) DO UPDATE SET address = excluded.address, name = excluded.name,
                  token_hash = excluded.token_hash, created_at = excluded.created_at, expires_at = excluded.expires_at,
                  mailed_at = excluded.mailed_at, confirmed_at = NULL
                """)
            try Self.record(s, key, "requested", consent)
            return .mail(token: token)
        }
    }

    public func recentlyRequested(_ address: EmailAddress, window: TimeInterval, now: Date) throws -> Bool {
        guard let at = try Self.lastRequest(state.session, address.key).at else { return false }
        return now.timeIntervalSince(at) < window
    }

    /// As `Subscriptions`: for a subscriber, its last request; for anyone else, the last confirmation mailed.
    private static func lastRequest(_ s: PostgresSession, _ key: String) throws -> (active: Bool, at: Date?) {
        let active = try s.query("SELECT status FROM subscribers WHERE address_key = \(key)").first?.decode(String.self) == "active"
        let mailed = try s.query("SELECT mailed_at FROM pending_subscriptions WHERE address_key = \(key)").first?.decode(Date.self)
        let asked =
            try s.query("SELECT max(at) FROM consents WHERE address_key = \(key) AND action = 'requested'").first?
            .decode(Date?.self) ?? nil
        return (active, active ? asked : mailed)
    }

    public func forgetMailing(_ address: EmailAddress) throws {
        try state.session.query("DELETE FROM pending_subscriptions WHERE address_key = \(address.key)")
    }

    public func lookConfirmation(_ token: SubscriptionToken, now: Date) throws -> Subscriptions.Confirmation {
        try Self.pending(state.session, token, now: now)
    }

    public func confirm(_ token: SubscriptionToken, consent: Subscriptions.Consent) throws -> Subscriptions.Confirmation {
        try state.session.transaction { s in
            let first = try Self.pending(s, token, now: consent.at)
            guard case .pending(let address) = first else { return first }
            let stored = EmailAddress(stored: address)
            // Looked at again under the address's lock: another server may have confirmed it meanwhile.
            try PostgresAddressLock.lock(s, key: stored.key)
            let found = try Self.pending(s, token, now: consent.at)
            guard case .pending = found else { return found }
            let name =
                try s.query("SELECT name FROM pending_subscriptions WHERE address_key = \(stored.key)").first?
                .decode(String?.self) ?? nil
            _ = try PostgresSubscriberStore.add(s, stored, name: name, reactivate: true, now: consent.at)
            try s.query("UPDATE pending_subscriptions SET confirmed_at = \(consent.at) WHERE address_key = \(stored.key)")
            try Self.record(s, stored.key, "confirmed", consent)
            return .confirmed(address: address)
        }
    }

    private static func pending(_ s: PostgresSession, _ token: SubscriptionToken, now: Date) throws -> Subscriptions.Confirmation {
        guard
            let row = try s.query(
                "SELECT address, expires_at, confirmed_at FROM pending_subscriptions WHERE token_hash = \(token.digest)"
            ).first
        else { return .unknown }
        let (address, expires, confirmed) = try row.decode((String, Date, Date?).self)
        if confirmed != nil { return .confirmed(address: address) }
        return expires <= now ? .expired : .pending(address: address)
    }

    public func lookUnsubscribe(_ token: UnsubscribeLinkToken) throws -> Subscriptions.Leave {
        guard let token = try current(state.session, token) else { return .unknown }
        return try Self.subscription(state.session, token)
    }

    /// Several at once in one transaction: each is as durable as alone once it returns.
    public func unsubscribe(_ requests: [(token: UnsubscribeLinkToken, consent: Subscriptions.Consent)]) throws
        -> [Subscriptions.Leave]
    {
        try state.session.transaction { s in
            let tokens = try requests.map { try current(s, $0.token) }
            // Every row of the batch locked at once, in id order: another server's batch
            // waits for this one instead of deadlocking with it.
            try s.query(
                "SELECT id FROM subscribers WHERE unsubscribe_token = ANY(\(tokens.compactMap { $0?.description })) ORDER BY id FOR UPDATE"
            )
            return try zip(tokens, requests).map { token, request in
                guard let token else { return .unknown }
                let found = try Self.subscription(s, token)
                guard case .active(let address) = found else { return found }
                try s.query(
                    """
                    UPDATE subscribers SET status = 'unsubscribed', changed_at = \(request.consent.at)
                    WHERE unsubscribe_token = \(token.description)
                    """)
                try Self.record(s, EmailAddress(stored: address).key, "unsubscribed", request.consent)
                return .unsubscribed(address: address)
            }
        }
    }

    /// The opaque token to look up (see `Subscriptions`).
    private func current(_ s: PostgresSession, _ token: UnsubscribeLinkToken) throws -> SubscriptionToken? {
        switch token {
        case .current(let token): return token
        case .legacy(let text):
            guard let address = legacyTokens?.address(in: text) else { return nil }
            let key = EmailAddress(stored: address).key
            return try s.query("SELECT unsubscribe_token FROM subscribers WHERE address_key = \(key) AND accepts_legacy_token")
                .first?.decode(String?.self).flatMap(SubscriptionToken.init)
        }
    }

    private static func subscription(_ s: PostgresSession, _ token: SubscriptionToken) throws -> Subscriptions.Leave {
        guard let row = try s.query("SELECT address, status FROM subscribers WHERE unsubscribe_token = \(token.description)").first
        else { return .unknown }
        let (address, status) = try row.decode((String, String).self)
        return status == "active" ? .active(address: address) : .alreadyUnsubscribed(address: address)
    }

    private static func record(_ s: PostgresSession, _ key: String, _ action: String, _ consent: Subscriptions.Consent) throws {
        try record(s, key, action, at: consent.at, client: consent.client, userAgent: consent.userAgent, page: consent.page, source: nil)
    }

    /// One consent record; free text as PostgreSQL can hold it (`PostgresText`).
    static func record(
        _ s: PostgresSession, _ key: String, _ action: String, at: Date, client: String?, userAgent: String?, page: String?,
        source: String?
    ) throws {
        try s.query(
            """
            INSERT INTO consents (address_key, action, at, client, user_agent, page, source)
            VALUES (\(key), \(action), \(at), \(PostgresText.storable(client)), \(PostgresText.storable(userAgent)),
                    \(PostgresText.storable(page)), \(PostgresText.storable(source)))
            """)
    }
}
