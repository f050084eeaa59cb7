/// What a delivery status notification (RFC 3464) or an abuse report (RFC 5965) says about
/// one digest message, as `BounceJournal` needs it: no MIME left, only the facts.
public struct BounceReport: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        /// 5.x.x with `Action: failed`: the address does not take mail.
        case hard
        /// 4.x.x or `Action: delayed`: it may again.
        case soft
        /// An abuse report (ARF `Feedback-Type: abuse`): the reader called the digest spam.
        case complaint
        /// Delivered, relayed, expanded, or a feedback type that asks for nothing.
        case other
    }

    /// The report's own Message-ID (or a digest of its bytes when it has none): the key
    /// that makes reading it twice a no-op.
    public let messageID: String
    public let kind: Kind
    /// The subscription's token, from the VERP address or the returned message's List-Unsubscribe.
    public let token: SubscriptionToken?
    /// Final-Recipient (or Original-Rcpt-To), as the report gives it.
    public let recipient: String?
    /// The status code (`5.1.1`) or the feedback type (`abuse`).
    public let statusCode: String?
    /// Diagnostic-Code or the reporting agent, for the journal and `herald status`.
    public let detail: String?

    public init(messageID: String, kind: Kind, token: SubscriptionToken?, recipient: String?, statusCode: String?, detail: String?) {
        self.messageID = messageID
        self.kind = kind
        self.token = token
        self.recipient = recipient
        self.statusCode = statusCode
        self.detail = detail
    }
}
