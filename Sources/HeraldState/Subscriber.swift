import HeraldBase

/// A mailing-list member, as the digest renders for them and the mailer sends to them.
public struct Subscriber: Sendable, Hashable {
    public enum Status: String, Sendable, CaseIterable { case active, unsubscribed, bounced }

    /// Row id in the publication's state database.
    public let id: Int64
    public let address: EmailAddress
    public let name: String?
    public let status: Status
    /// The opaque token of this subscription's unsubscribe link (nil for made-up
    /// subscribers such as a preview's).
    public let unsubscribeToken: SubscriptionToken?

    public init(id: Int64, address: EmailAddress, name: String?, status: Status = .active, unsubscribeToken: SubscriptionToken? = nil) {
        self.id = id
        self.address = address
        self.name = name
        self.status = status
        self.unsubscribeToken = unsubscribeToken
    }
}
