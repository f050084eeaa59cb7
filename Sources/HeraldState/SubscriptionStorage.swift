import Foundation
import HeraldBase

/// Double opt-in and one-click leave, whichever database keeps them: `Subscriptions`
/// (SQLite) or `PostgresSubscriptions`. Each change is one transaction with its consent
/// record; the `look…` methods only read. The value types are `Subscriptions`'s.
public protocol SubscriptionStorage: Sendable {
    /// Records a subscribe request; at most one confirmation mail per `window` per address.
    func request(
        _ address: EmailAddress, name: SubscriberName?, consent: Subscriptions.Consent,
        lifetime: TimeInterval, window: TimeInterval
    ) throws -> Subscriptions.RequestOutcome
    /// Whether a request for this address is within `window` (read only).
    func recentlyRequested(_ address: EmailAddress, window: TimeInterval, now: Date) throws -> Bool
    /// When mailing the confirmation failed: the address may ask again at once.
    func forgetMailing(_ address: EmailAddress) throws
    /// What a confirmation token stands for (read only).
    func lookConfirmation(_ token: SubscriptionToken, now: Date) throws -> Subscriptions.Confirmation
    /// Makes the pending subscription active.
    func confirm(_ token: SubscriptionToken, consent: Subscriptions.Consent) throws -> Subscriptions.Confirmation
    /// What an unsubscribe token stands for (read only).
    func lookUnsubscribe(_ token: UnsubscribeLinkToken) throws -> Subscriptions.Leave
    /// Ends each token's subscription, all in one transaction; idempotent.
    func unsubscribe(_ requests: [(token: UnsubscribeLinkToken, consent: Subscriptions.Consent)]) throws -> [Subscriptions.Leave]
}

extension SubscriptionStorage {
    public func recentlyRequested(_ address: EmailAddress, window: TimeInterval) throws -> Bool {
        try recentlyRequested(address, window: window, now: Date())
    }

    public func lookConfirmation(_ token: SubscriptionToken) throws -> Subscriptions.Confirmation {
        try lookConfirmation(token, now: Date())
    }

    /// Ends the token's subscription; idempotent.
    public func unsubscribe(_ token: UnsubscribeLinkToken, consent: Subscriptions.Consent) throws -> Subscriptions.Leave {
        try unsubscribe([(token, consent)])[0]
    }
}
