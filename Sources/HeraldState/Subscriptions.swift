import Foundation
import GRDB
import HeraldBase

/// Double opt-in and one-click leave, as `herald serve` does them: a request waits as
/// pending until its mailed link is followed; an unsubscribe token ends one subscription.
/// Each change is one transaction with its consent record. The `look…` methods only read:
/// they answer the GET pages, which must change nothing.
public struct Subscriptions: SubscriptionStorage {
    let database: StateDatabase
    /// Set where the publication's secret is at hand, so links from before opaque tokens still work.
    let legacyTokens: LegacyUnsubscribeToken?
    public init(database: StateDatabase, legacyTokens: LegacyUnsubscribeToken? = nil) {
        self.database = database
        self.legacyTokens = legacyTokens
    }

    /// Where and how a subscriber agreed or left, kept as evidence of consent.
    public struct Consent: Sendable {
        public let at: Date
        public let client: String
        public let userAgent: String
        /// The path of the page the button was on (never the token).
        public let page: String
        public init(at: Date = Date(), client: String, userAgent: String, page: String) {
            self.at = at
            self.client = client
            self.userAgent = userAgent
            self.page = page
        }
    }

    public enum RequestOutcome: Sendable, Equatable {
        /// Mail this token in the confirmation link.
        case mail(token: SubscriptionToken)
        /// Already subscribed: nothing to confirm, nothing mailed; the request is recorded.
        case alreadyActive
        /// A confirmation went to this address (or a subscriber asked) within the window: none again yet.
        case throttled
    }

    /// Records a subscribe request. At most one confirmation mail per `window` per
    /// address, however many clients ask: the window is kept here, not in memory.
    public func request(
        _ address: EmailAddress, name: SubscriberName?, consent: Consent,
        lifetime: TimeInterval, window: TimeInterval
    ) throws -> RequestOutcome {
        let key = address.key
        return try database.pool.write { db in
            let last = try Self.lastRequest(db, key)
            if let at = last.at, consent.at.timeIntervalSince(at) < window { return .throttled }
            if last.active {
                // Kept as evidence and as the address's window, so a second request is
                // answered as for any other address.
                try Self.record(db, key, "requested", consent)
                return .alreadyActive
            }
            let token = SubscriptionToken.random()
            try db.execute(
                sql: """
                    INSERT INTO pending_subscriptions (address_key, address, name, token_hash, created_at, expires_at, mailed_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(address_key) DO UPDATE SET address = excluded.address, name = excluded.name, token_hash = excluded.token_hash,
                      created_at = excluded.created_at, expires_at = excluded.expires_at, mailed_at = excluded.mailed_at,
                      confirmed_at = NULL
                    """,
                arguments: [
                    key, address.description, name?.description, token.digest, consent.at,
                    consent.at.addingTimeInterval(lifetime), consent.at,
                ])
            try Self.record(db, key, "requested", consent)
            return .mail(token: token)
        }
    }

    /// Whether a request for this address is within `window`: for a subscriber, its last
    /// request; for anyone else, the last confirmation mailed. Read only, and the same
    /// statements whatever the database holds, so the answer takes as long for each.
    public func recentlyRequested(_ address: EmailAddress, window: TimeInterval, now: Date = Date()) throws -> Bool {
        try database.pool.read { db in
            guard let at = try Self.lastRequest(db, address.key).at else { return false }
            return now.timeIntervalSince(at) < window
        }
    }

    private static func lastRequest(_ db: Database, _ key: String) throws -> (active: Bool, at: Date?) {
        let active = try String.fetchOne(db, sql: "SELECT status FROM subscribers WHERE address_key = ?", arguments: [key]) == "active"
        let mailed = try Date.fetchOne(db, sql: "SELECT mailed_at FROM pending_subscriptions WHERE address_key = ?", arguments: [key])
        let asked = try Date.fetchOne(
            db, sql: "SELECT max(at) FROM consents WHERE address_key = ? AND action = 'requested'", arguments: [key])
        return (active, active ? asked : mailed)
    }

    /// When mailing the confirmation failed: the address may ask again at once.
    public func forgetMailing(_ address: EmailAddress) throws {
        try database.pool.write { db in
            try db.execute(sql: "DELETE FROM pending_subscriptions WHERE address_key = ?", arguments: [address.key])
        }
    }

    public enum Confirmation: Sendable, Equatable {
        case pending(address: String)
        case confirmed(address: String)
        case expired
        case unknown
    }

    /// What a confirmation token stands for, read only (the GET page).
    public func lookConfirmation(_ token: SubscriptionToken, now: Date = Date()) throws -> Confirmation {
        try database.pool.read { db in try Self.pending(db, token, now: now) }
    }

    /// Makes the pending subscription active (a new unsubscribe token with it).
    public func confirm(_ token: SubscriptionToken, consent: Consent) throws -> Confirmation {
        try database.pool.write { db in
            let found = try Self.pending(db, token, now: consent.at)
            guard case .pending(let address) = found else { return found }
            let stored = EmailAddress(stored: address)
            let name = try String.fetchOne(db, sql: "SELECT name FROM pending_subscriptions WHERE address_key = ?", arguments: [stored.key])
            _ = try SubscriberStore.add(db, stored, name: name, reactivate: true, now: consent.at)
            try db.execute(
                sql: "UPDATE pending_subscriptions SET confirmed_at = ? WHERE address_key = ?", arguments: [consent.at, stored.key])
            try Self.record(db, stored.key, "confirmed", consent)
            return .confirmed(address: address)
        }
    }

    private static func pending(_ db: Database, _ token: SubscriptionToken, now: Date) throws -> Confirmation {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT address, expires_at, confirmed_at FROM pending_subscriptions WHERE token_hash = ?
                    """, arguments: [token.digest])
        else { return .unknown }
        if (row["confirmed_at"] as Date?) != nil { return .confirmed(address: row["address"]) }
        let expires: Date = row["expires_at"]
        return expires <= now ? .expired : .pending(address: row["address"])
    }

    public enum Leave: Sendable, Equatable {
        /// The token's subscription is active: the POST would end it.
        case active(address: String)
        case unsubscribed(address: String)
        /// Already ended by this token (a second click, a retried POST): nothing to do.
        case alreadyUnsubscribed(address: String)
        /// Not a token of any subscription now (forged, or replaced by a re-subscribe).
        case unknown
    }

    /// What an unsubscribe token stands for, read only (the GET page).
    public func lookUnsubscribe(_ token: UnsubscribeLinkToken) throws -> Leave {
        try database.pool.read { db in
            guard let token = try current(db, token) else { return .unknown }
            return try Self.subscription(db, token)
        }
    }

    /// Ends the token's subscription; idempotent.
    public func unsubscribe(_ token: UnsubscribeLinkToken, consent: Consent) throws -> Leave {
        try unsubscribe([(token, consent)])[0]
    }

    /// Several at once in one transaction (group commit): each is as durable as alone,
    /// and a burst of one-click POSTs pays one fsync instead of one each.
    public func unsubscribe(_ requests: [(token: UnsubscribeLinkToken, consent: Consent)]) throws -> [Leave] {
        try database.pool.write { db in
            try requests.map { token, consent in
                guard let token = try current(db, token) else { return .unknown }
                let found = try Self.subscription(db, token)
                guard case .active(let address) = found else { return found }
                try db.execute(
                    sql: "UPDATE subscribers SET status = 'unsubscribed', changed_at = ? WHERE unsubscribe_token = ?",
                    arguments: [consent.at, token.description])
                try Self.record(db, EmailAddress(stored: address).key, "unsubscribed", consent)
                return .unsubscribed(address: address)
            }
        }
    }

    /// The opaque token to look up: the token itself, or the subscription's own for a valid
    /// v1 token of a subscription from before v4; nil for a v1 token that is not.
    private func current(_ db: Database, _ token: UnsubscribeLinkToken) throws -> SubscriptionToken? {
        switch token {
        case .current(let token): return token
        case .legacy(let text):
            guard let address = legacyTokens?.address(in: text) else { return nil }
            return try String.fetchOne(
                db, sql: "SELECT unsubscribe_token FROM subscribers WHERE address_key = ? AND accepts_legacy_token",
                arguments: [EmailAddress(stored: address).key]
            ).flatMap(SubscriptionToken.init)
        }
    }

    private static func subscription(_ db: Database, _ token: SubscriptionToken) throws -> Leave {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT address, status FROM subscribers WHERE unsubscribe_token = ?",
                arguments: [token.description])
        else { return .unknown }
        let address: String = row["address"]
        return row["status"] == "active" ? .active(address: address) : .alreadyUnsubscribed(address: address)
    }

    private static func record(_ db: Database, _ key: String, _ action: String, _ consent: Consent) throws {
        try db.execute(
            sql: "INSERT INTO consents (address_key, action, at, client, user_agent, page) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [key, action, consent.at, consent.client, consent.userAgent, consent.page])
    }

    /// Consent another tool recorded, kept beside the web sign-ups' with where it came from.
    static func record(_ db: Database, _ key: String, _ consent: ImportedConsent, source: String) throws {
        try db.execute(
            sql: "INSERT INTO consents (address_key, action, at, client, user_agent, page, source) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [key, consent.action.rawValue, consent.at, consent.client, consent.userAgent, consent.page, source])
    }
}
