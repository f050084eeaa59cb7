import Foundation

/// The one owner of a publication's published site: the output folder on disk, every file
/// Herald writes into it, every route `herald serve` answers under the publication's mount,
/// and each one's public URL. Feeds, digest links, archive pages, serve and the CLI ask it;
/// nobody else spells a published path.
public struct SiteLayout: Sendable {
    /// File and folder names inside the output folder.
    public enum Name {
        public static let atom = "atom.xml"
        public static let rss = "rss.xml"
        /// JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/).
        public static let json = "feed.json"
        public static let feeds = [atom, rss, json]
        /// The XSLT stylesheet that shows a feed as a page in a browser, in the output folder's root.
        public static let stylesheet = "feed.xsl"
        /// Feed archive pages (`archive/N.xml`) and digest pages (`archive/N/index.html`).
        public static let archive = "archive"
        public static let index = "index.html"
        /// The folders of the tag and category feeds (`tags/NAME/atom.xml`).
        public static let tags = "tags"
        public static let categories = "categories"
        /// Feed archive page `n` in the archive folder: `n.xml` (Atom) and `n.rss`.
        public static func archiveAtom(_ n: Int) -> String { "\(n).xml" }
        public static func archiveRSS(_ n: Int) -> String { "\(n).rss" }

        /// Whether a file name is one of a feed's: `atom.xml`, `rss.xml`, `feed.json`, or an
        /// archive page's `N.xml` or `N.rss`.
        public static func isFeed(_ name: String) -> Bool {
            if feeds.contains(name) { return true }
            let stem = name.hasSuffix(".xml") || name.hasSuffix(".rss") ? name.dropLast(4) : ""
            return !stem.isEmpty && stem.allSatisfy { $0.isASCII && $0.isNumber }
        }

        /// The HTML page beside a feed that shows it to a person (`atom.xml.html`): what
        /// `herald serve` answers a browser that asks for the feed.
        public static func feedPage(of feed: String) -> String { feed + ".html" }

        /// Whether a file name is a feed's page.
        public static func isFeedPage(_ name: String) -> Bool {
            name.hasSuffix(".html") && isFeed(String(name.dropLast(5)))
        }
    }

    /// What `herald serve` answers under a publication's mount, as the path after it.
    public enum Route: String, CaseIterable, Sendable {
        case subscribe
        case confirm
        case unsubscribe
        case archive = "archive/"
        case stylesheet = "_herald/serve.css"
    }

    /// Answered once per server, outside every mount.
    public static let healthPath = "/healthz"

    /// The output folder the publication's files are written into and served from.
    public let output: URL
    /// The publication's home URL, ending in a slash.
    public let home: String
    /// The URL path of the home: `/` or `/news/`, starting and ending with a slash.
    public let mountPath: String

    /// - Parameter output: the output folder; nil is `public/NAME` in the working directory.
    public init(publication: Publication, output: URL? = nil) {
        self.output = output ?? Self.defaultOutput(for: publication.name)
        let base = publication.baseURL.absoluteString
        home = base.hasSuffix("/") ? base : base + "/"
        var path = publication.baseURL.path
        if !path.hasPrefix("/") { path = "/" + path }
        if !path.hasSuffix("/") { path += "/" }
        mountPath = path
    }

    /// `public/NAME`, where commands write and serve when told no output folder.
    public static func defaultOutput(for name: String) -> URL {
        URL(fileURLWithPath: "public").appendingPathComponent(name)
    }

    // MARK: - Routes

    /// The route's URL path on the server, e.g. `/news/subscribe`.
    public func path(_ route: Route) -> String { mountPath + route.rawValue }

    /// The route's public URL, e.g. `https://example.org/news/subscribe`.
    public func url(_ route: Route) -> String { home + route.rawValue }

    /// The route's public URL with `token=` in its query (a confirmation link).
    public func url(_ route: Route, token: String) -> String { url(route) + "?token=" + token }

    // MARK: - Published files

    /// A published file's URL: `https://example.org/news/atom.xml`.
    public func url(ofFile name: String) -> String { home + name }

    /// A file in the output folder.
    public func file(_ relativePath: String) -> URL { output.appendingPathComponent(relativePath) }

    /// The digest archive's index page on disk.
    public var archiveIndexFile: URL { file("\(Name.archive)/\(Name.index)") }

    /// Digest `number`'s page on disk.
    public func archivePageFile(_ number: Int) -> URL { file("\(Name.archive)/\(number)/\(Name.index)") }

    /// Digest `number`'s page URL ("view in browser").
    public func archivePageURL(_ number: Int) -> String { url(.archive) + "\(number)/" }

    /// A digest page's path relative to the archive index.
    public static func archivePageLink(_ number: Int) -> String { "\(number)/" }
}
