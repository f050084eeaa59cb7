import Foundation
import HeraldBase
import HeraldConfig
import HeraldState

/// `herald token` and `herald unsubscribe`: a publication's unsubscribe tokens as support
/// requests bring them, a bare token or the whole link a subscriber clicked.
public struct UnsubscribeTokens {
    let state: PublicationState
    var publication: Publication { state.publication }

    public init(_ state: PublicationState) { self.state = state }

    private func subscriptions(_ store: PublicationStore) -> any SubscriptionStorage {
        store.subscriptions(legacyTokens: .configured(for: publication))
    }

    private var unknown: Failure {
        Failure(.dataError, "token is not valid for \(publication.name): altered, truncated, or replaced by a later subscription")
    }

    /// The address the token unsubscribes.
    public func verify(_ text: String) throws -> String {
        let token = try parse(text)
        // No database yet: no subscription, so no token is one's.
        guard let store = try state.openStoreForReading() else { throw unknown }
        switch try subscriptions(store).lookUnsubscribe(token) {
        case .active(let address), .unsubscribed(let address), .alreadyUnsubscribed(let address): return "\(address)"
        case .unknown: throw unknown
        }
    }

    /// Unsubscribes the token's address (recorded as done from the command line); returns the address.
    public func unsubscribe(_ text: String) throws -> String {
        let consent = Subscriptions.Consent(client: "cli", userAgent: "herald unsubscribe", page: "herald unsubscribe")
        switch try subscriptions(state.openStore()).unsubscribe(parse(text), consent: consent) {
        case .unsubscribed(let address), .alreadyUnsubscribed(let address), .active(let address): return "\(address)"
        case .unknown: throw unknown
        }
    }

    /// How `herald serve`'s log names `address` (`subscriber=…`): its keyed hash, which needs
    /// the unsubscribe secret, so only who holds the secret can match a log line to an address.
    public func logTag(for address: EmailAddress) throws -> String {
        do { return AddressTag(secret: try UnsubscribeSecret.required(for: publication))(address) } catch {
            throw Failure(.config, "\(publication.name): \(error.description)")
        }
    }

    /// A subscriber's current token.
    public func make(for address: EmailAddress) throws -> SubscriptionToken {
        let entries = try state.openStoreForReading()?.subscribers.list(includeInactive: true) ?? []
        guard let entry = entries.first(where: { $0.subscriber.address == address }),
            let token = entry.subscriber.unsubscribeToken
        else {
            throw Failure(.dataError, "\(address) is not a subscriber of \(publication.name)")
        }
        return token
    }

    /// The token in `text`; text that is no token is refused as one no subscription has.
    private func parse(_ text: String) throws -> UnsubscribeLinkToken {
        guard let token = UnsubscribeLinkToken(Self.bare(text)) else { throw unknown }
        return token
    }

    /// Support requests come with the link a subscriber clicked; take the token out of it.
    static func bare(_ token: String) -> String {
        guard let range = token.range(of: "token=") else { return token.trimmingCharacters(in: .whitespacesAndNewlines) }
        return String(token[range.upperBound...].prefix { $0 != "&" && $0 != "#" })
    }
}
