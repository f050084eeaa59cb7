/// What an unsubscribe link carries: a subscription's token, or a v1 token from mail sent
/// before opaque tokens (`LegacyUnsubscribeToken`), which only a configured secret can check.
public enum UnsubscribeLinkToken: Sendable, Hashable, CustomStringConvertible {
    case current(SubscriptionToken)
    /// Starts with `v1.`; its MAC is checked where the publication's secret is at hand.
    case legacy(String)

    /// Nil for text that is neither: such a link is refused before anything is looked up.
    public init?(_ text: String) {
        if let token = SubscriptionToken(text) {
            self = .current(token)
        } else if LegacyUnsubscribeToken.looksLegacy(text) {
            self = .legacy(text)
        } else {
            return nil
        }
    }

    /// The text as the link had it.
    public var description: String {
        switch self {
        case .current(let token): token.description
        case .legacy(let text): text
        }
    }
}
