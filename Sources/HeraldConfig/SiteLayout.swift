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
        /// The RSS file Hugo writes in a section's or a term's folder.
        public static let hugoRSS = "index.xml"
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

    /// The site's folder on disk: what `--out` names, else `public/NAME`. Every file Herald
    /// writes is below it, at the path it has on the site below `base_url`, so it can be
    /// merged into the site's own output (Hugo's `public/`) as it is.
    public let root: URL
    /// The publication's own folder, `root` + its path: its feeds, stylesheet and archive,
    /// written there and served from there.
    public let output: URL
    /// `output` relative to `root`: `""` or `blog/` (ends with a slash unless empty).
    public let folder: String
    /// The publication's home URL, `base_url` + path, ending in a slash.
    public let home: String
    /// The URL path of the home: `/` or `/news/`, starting and ending with a slash: where
    /// `herald serve` mounts the publication.
    public let mountPath: String
    /// For a `hugo:` publication: the paths (relative to `root`) where Hugo publishes the
    /// section's and each term's RSS, which Herald writes too so their readers keep them.
    public let hugoFeeds: HugoFeedPaths?
    /// For a `hugo:` publication: where Hugo has the section's and each term's page.
    let hugoPages: HugoFeedPaths?

    /// - Parameter root: the site's folder; nil is `public/NAME` in the working directory.
    public init(publication: Publication, root: URL? = nil) {
        self.root = root ?? Self.defaultRoot(for: publication.name)
        folder = String(publication.path.dropFirst())
        output = folder.isEmpty ? self.root : self.root.appendingPathComponent(folder, isDirectory: true)
        let base = publication.baseURL.absoluteString
        let siteRoot = base.hasSuffix("/") ? base : base + "/"
        // A section may be named in any script (`/博客/`): the URL carries it percent-encoded.
        home = siteRoot + (folder.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? folder)
        var basePath = publication.baseURL.path
        if !basePath.hasPrefix("/") { basePath = "/" + basePath }
        if !basePath.hasSuffix("/") { basePath += "/" }
        mountPath = basePath + folder
        hugoPages = publication.hugo.map { HugoFeedPaths(source: $0, siteRoot: siteRoot) }
        hugoFeeds = publication.feeds.hugoAddresses ? hugoPages : nil
    }

    /// `public/NAME`, the site folder of commands told no output folder.
    public static func defaultRoot(for name: String) -> URL {
        URL(fileURLWithPath: "public").appendingPathComponent(name)
    }

    // MARK: - Routes

    /// The route's URL path on the server as a request carries it, e.g. `/news/subscribe`
    /// (percent-encoded: `/%E5%8D%9A%E5%AE%A2/subscribe` for `/博客/`).
    public func path(_ route: Route) -> String {
        (mountPath.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? mountPath) + route.rawValue
    }

    /// The route's public URL, e.g. `https://example.org/news/subscribe`.
    public func url(_ route: Route) -> String { home + route.rawValue }

    /// The route's public URL with `token=` in its query (a confirmation link).
    public func url(_ route: Route, token: String) -> String { url(route) + "?token=" + token }

    // MARK: - Published files

    /// A published file's URL: `https://example.org/news/atom.xml`.
    public func url(ofFile name: String) -> String { home + name }

    /// The page a tag's or category's feed stands for: Hugo's term page in the language
    /// (`https://site/en/tags/swift/`) for a `hugo:` publication, else the feed's own folder.
    /// `urlPath`: the term's folder as a URL path.
    public func termPageURL(_ taxonomy: String, urlPath: String) -> String {
        hugoPages?.termURL(taxonomy, urlSegment: urlPath) ?? home + taxonomy + "/" + urlPath + "/"
    }

    /// A file in the publication's folder.
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

/// Where Hugo publishes the RSS of one section in one language, and of the terms of its
/// taxonomies: `blog/index.xml`, `tags/NAME/index.xml` (`en/…` for a language in its own
/// folder), relative to the site's folder, each with its page's URL.
public struct HugoFeedPaths: Sendable, Equatable {
    /// The section's folder relative to the site's folder: `blog/`, `en/blog/`.
    public let section: String
    /// The section page's URL (the feed's `<link>`).
    public let sectionURL: String
    private let siteRoot: String
    private let taxonomyFolders: [String: String]
    /// Whether Hugo publishes the section's RSS, and the terms' (its `disableKinds`).
    public let hasSectionFeed: Bool
    public let hasTermFeeds: Bool

    init(source: HugoSource, siteRoot: String) {
        section = String(source.sectionPath.dropFirst())
        sectionURL = siteRoot + section
        self.siteRoot = siteRoot
        var folders: [String: String] = [:]
        for taxonomy in [SiteLayout.Name.tags, SiteLayout.Name.categories] {
            folders[taxonomy] = String(source.taxonomyPath(taxonomy).dropFirst())
        }
        taxonomyFolders = folders
        let off = source.disabledKinds
        hasSectionFeed = !off.contains("rss") && !off.contains("section")
        hasTermFeeds = !off.contains("rss") && !off.contains("term") && !off.contains("taxonomy")
    }

    /// `blog/index.xml`.
    public var sectionFeed: String { section + SiteLayout.Name.hugoRSS }

    /// A term's folder relative to the site's folder (`tags/service-mesh/`), from its slug
    /// as a folder name; `taxonomy` is `SiteLayout.Name.tags` or `.categories`.
    public func termFolder(_ taxonomy: String, slug: String) -> String {
        (taxonomyFolders[taxonomy] ?? taxonomy + "/") + slug + "/"
    }

    /// The term page's URL, with the slug as a URL path segment (percent-encoded).
    public func termURL(_ taxonomy: String, urlSegment: String) -> String {
        siteRoot + (taxonomyFolders[taxonomy] ?? taxonomy + "/") + urlSegment + "/"
    }

    /// Every folder whose `index.xml` files may be written: the taxonomies' (relative to the
    /// site's folder), for telling two publications' files apart.
    public var taxonomyRoots: [String] { hasTermFeeds ? taxonomyFolders.values.sorted() : [] }
}
