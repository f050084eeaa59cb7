import Foundation
import HeraldBase
import HeraldConfig
import HeraldMail
import HeraldState

/// One publication as served: its routes live under its home's path (`base_url` + `path:`).
struct Mount: Sendable {
    let publication: Publication
    /// Its paths and URLs.
    let site: SiteLayout
    /// `/` or `/news/`: always starts and ends with a slash.
    var path: String { site.mountPath }
    var output: URL { site.output }
    /// The publication's state: SQLite, or a PostgreSQL database other servers may share.
    let store: PublicationStore
    /// Sign-ups, confirmations and unsubscribes, each one transaction with its consent record.
    let subscriptions: any SubscriptionStorage
    /// One-click unsubscribes, committed together as they arrive.
    let unsubscribes: UnsubscribeQueue
    /// Sign-ups answered at once, recorded and mailed after the answer.
    let requests: SubscribeRequests
    let pages: Pages
    /// Form tokens and the Origin check of every POST.
    let csrf: CSRFGuard
    /// `POST /subscribe` per client.
    let limiter: SubscribeLimiter
    let settings: ServeSettings
    /// Names a subscriber in the log without the address.
    let tag: AddressTag

    init(site: ServeSite, templatesDirectory: URL?, environment: [String: String]) throws(Failure) {
        let publication = site.publication
        self.publication = publication
        self.site = site.layout
        settings = site.settings
        let secret: UnsubscribeSecret
        do { secret = try UnsubscribeSecret.required(for: publication, environment: environment) } catch {
            throw Failure(.config, "\(publication.name): \(error.description)")
        }
        let mailer: NoticeMailer
        do { mailer = try NoticeMailer(publication: publication, environment: environment) } catch {
            throw Failure(.config, error.description)
        }
        pages = try Pages(publication: publication, site: site.layout, templatesDirectory: templatesDirectory)
        do { store = try PublicationStore.open(publication: publication, directory: site.stateDirectory, environment: environment) } catch {
            throw Failure((error as? any ExitStatusError)?.exitStatus ?? .cantCreate, "\(error)")
        }
        subscriptions = store.subscriptions(legacyTokens: LegacyUnsubscribeToken(secret: secret, publication: publication))
        unsubscribes = UnsubscribeQueue(subscriptions: subscriptions)
        requests = SubscribeRequests(
            subscriptions: subscriptions, mailer: mailer, pages: pages, site: site.layout, publication: publication,
            tag: AddressTag(secret: secret))
        csrf = CSRFGuard(key: secret.derivedKey(purpose: "herald-serve-csrf"), siteOrigin: Self.origin(of: publication.baseURL))
        limiter = SubscribeLimiter(burst: settings.subscribeBurst, refill: settings.subscribeRefill)
        tag = AddressTag(secret: secret)
    }

    /// The origin a browser sends for pages under `url`: the default port is left out.
    static func origin(of url: URL) -> String {
        let scheme = url.scheme?.lowercased() ?? "https"
        let host = url.host?.lowercased() ?? ""
        let defaultPort = scheme == "https" ? 443 : scheme == "http" ? 80 : nil
        guard let port = url.port, port != defaultPort else { return "\(scheme)://\(host)" }
        return "\(scheme)://\(host):\(port)"
    }
}

/// One publication to serve, with where its files and state are.
public struct ServeSite: Sendable {
    public let publication: Publication
    public let layout: SiteLayout
    public var output: URL { layout.output }
    public let stateDirectory: URL
    /// herald.yml's `serve:`.
    public var settings: ServeSettings { publication.serve }

    /// `root`: the site's folder (`--out`); nil is `public/NAME`.
    public init(publication: Publication, root: URL? = nil, stateDirectory: URL) {
        self.publication = publication
        self.layout = SiteLayout(publication: publication, root: root)
        self.stateDirectory = stateDirectory
    }
}
