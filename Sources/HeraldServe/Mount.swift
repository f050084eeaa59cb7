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
    let subscriptions: Subscriptions
    let unsubscribes: UnsubscribeQueue
    let requests: SubscribeRequests
    let pages: Pages
    let csrf: CSRFGuard
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
        let mailer: NoticeMailer
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
        requests = SubscribeRequests(
            subscriptions: subscriptions, mailer: mailer, pages: pages, site: site.layout, publication: publication)
        csrf = CSRFGuard(key: secret.derivedKey(purpose: "herald-serve-csrf"), siteOrigin: Self.origin(of: publication.baseURL))
        limiter = SubscribeLimiter(burst: settings.subscribeBurst, refill: settings.subscribeRefill)
    }

    static func origin(of url: URL) -> String {
        let scheme = url.scheme?.lowercased() ?? "https"
        let host = url.host?.lowercased() ?? ""
        return url.port.map { "\(scheme)://\(host):\($0)" } ?? "\(scheme)://\(host)"
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

    public init(publication: Publication, output: URL? = nil, stateDirectory: URL) {
        self.publication = publication
        self.layout = SiteLayout(publication: publication, output: output)
        self.stateDirectory = stateDirectory
    }
}
