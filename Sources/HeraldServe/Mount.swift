import Foundation
import HeraldBase
import HeraldConfig
import HeraldMail
import HeraldState

/// One publication as served: its routes live under the path of its `base_url`.
struct Mount: Sendable {
    let publication: Publication
    /// Its paths and URLs.
    let site: SiteLayout
    /// `/` or `/news/`: always starts and ends with a slash.
    var path: String { site.mountPath }
    var output: URL { site.output }
    let database: StateDatabase
    /// Sign-ups, confirmations and unsubscribes, each one transaction with its consent record.
    let subscriptions: Subscriptions
    /// One-click unsubscribes, committed together as they arrive.
    let unsubscribes: UnsubscribeQueue
    /// Sends the confirmation mails.
    let mailer: NoticeMailer
    let pages: Pages
    /// Form tokens and the Origin check of every POST.
    let csrf: CSRFGuard
    /// `POST /subscribe` per client.
    let limiter: SubscribeLimiter
    let settings: ServeSettings

    init(site: ServeSite, templatesDirectory: URL?, environment: [String: String]) throws(Failure) {
        let publication = site.publication
        self.publication = publication
        self.site = site.layout
        settings = site.settings
        let secret: UnsubscribeSecret
        do { secret = try UnsubscribeSecret.required(for: publication, environment: environment) } catch {
            throw Failure(.config, "\(publication.name): \(error.description)")
        }
        do { mailer = try NoticeMailer(publication: publication, environment: environment) } catch {
            throw Failure(.config, error.description)
        }
        pages = try Pages(publication: publication, site: site.layout, templatesDirectory: templatesDirectory)
        do { database = try StateDatabase(directory: site.stateDirectory) } catch {
            throw Failure(.cantCreate, error.description)
        }
        subscriptions = Subscriptions(
            database: database,
            legacyTokens: LegacyUnsubscribeToken(secret: secret, publication: publication))
        unsubscribes = UnsubscribeQueue(subscriptions: subscriptions)
        csrf = CSRFGuard(key: secret.derivedKey(purpose: "herald-serve-csrf"), siteOrigin: Self.origin(of: publication.baseURL))
        limiter = SubscribeLimiter(burst: settings.burst, refill: settings.refill)
    }

    /// The origin a browser sends for pages under `url`: the default port is left out.
    static func origin(of url: URL) -> String {
        let scheme = url.scheme?.lowercased() ?? "https"
        let host = url.host?.lowercased() ?? ""
        let defaultPort = scheme == "https" ? 443 : scheme == "http" ? 80 : nil
        guard let port = url.port, port != defaultPort else { return "\(scheme)://\(host)" }
        return "\(scheme)://\(host):\(port)"
    }

    /// The confirmation link as the subscriber's mail shows it: under the published base_url.
    func confirmURL(token: SubscriptionToken) -> String { site.url(.confirm, token: token.description) }
}

/// One publication to serve, with where its files and state are.
public struct ServeSite: Sendable {
    public let publication: Publication
    public let layout: SiteLayout
    public var output: URL { layout.output }
    public let stateDirectory: URL
    public let settings: ServeSettings

    public init(publication: Publication, output: URL? = nil, stateDirectory: URL, settings: ServeSettings = ServeSettings()) {
        self.publication = publication
        self.layout = SiteLayout(publication: publication, output: output)
        self.stateDirectory = stateDirectory
        self.settings = settings
    }
}

/// The limits of the subscriber routes; the defaults suit a community list.
public struct ServeSettings: Sendable {
    /// How long a confirmation link works.
    public var confirmDays = 7
    /// At most one confirmation mail per address in this time.
    public var mailWindow: TimeInterval = 600
    /// `POST /subscribe` per client: a burst, then one per `refill` seconds.
    public var burst = 5
    public var refill: TimeInterval = 20
    public init() {}
}
