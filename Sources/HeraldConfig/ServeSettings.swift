import Foundation

/// `serve:` in herald.yml: the limits of `herald serve`'s subscriber routes and of its
/// connections. The defaults suit a community list behind nginx.
public struct ServeSettings: Sendable {
    /// How long a confirmation link works.
    public var confirmDays = 7
    /// At most one confirmation mail per address in this time (`confirm_window`, in minutes).
    public var confirmWindow: TimeInterval = 600
    /// `POST /subscribe` per client: a burst, then one per `subscribeRefill` seconds.
    public var subscribeBurst = 5
    public var subscribeRefill: TimeInterval = 20
    /// A connection that has not sent a complete request (head and body) this long after it
    /// opened, or after it started a request, is closed: a trickling client cannot hold it.
    public var headTimeout: TimeInterval = 10
    /// A kept-alive connection with no request for this long is closed.
    public var idleTimeout: TimeInterval = 60

    public init() {}

    init(yaml: YAMLMapping?, log: ProblemLog) {
        guard var yaml else { return }
        confirmDays = log.attempt { try yaml.int("confirm_days", in: 1...365) } ?? confirmDays
        confirmWindow = log.attempt { try yaml.int("confirm_window", in: 1...1440) }.map { TimeInterval($0 * 60) } ?? confirmWindow
        subscribeBurst = log.attempt { try yaml.int("subscribe_burst", in: 1...100_000) } ?? subscribeBurst
        subscribeRefill = log.attempt { try yaml.int("subscribe_refill", in: 1...86_400) }.map(TimeInterval.init) ?? subscribeRefill
        headTimeout = log.attempt { try yaml.int("head_timeout", in: 1...3600) }.map(TimeInterval.init) ?? headTimeout
        idleTimeout = log.attempt { try yaml.int("idle_timeout", in: 1...3600) }.map(TimeInterval.init) ?? idleTimeout
        yaml.unknownKeys().forEach(log.add)
    }
}
