import HeraldConfig

/// The file names one feed plan writes in its folder: `atom.xml`, `rss.xml` and
/// `feed.json` for a publication, tag or category feed; `N.xml` and `N.rss` for archive
/// page N (JSON Feed has no archive pages); `index.xml` alone (RSS) where Hugo published
/// a feed.
struct FeedFiles: Sendable {
    let atom: String?
    let rss: String
    let json: String?
    /// Whether each file gets its HTML page (`atom.xml.html`) when the feeds are shown as pages.
    var pages = true

    var all: [String] { (atom.map { [$0] } ?? []) + [rss] + (json.map { [$0] } ?? []) }

    static let standard = FeedFiles(atom: SiteLayout.Name.atom, rss: SiteLayout.Name.rss, json: SiteLayout.Name.json)
    /// `feeds.json: false`.
    static let xmlOnly = FeedFiles(atom: SiteLayout.Name.atom, rss: SiteLayout.Name.rss, json: nil)

    static func of(_ publication: Publication) -> FeedFiles { publication.feeds.json ? standard : xmlOnly }

    /// Hugo's RSS of a section or term, at its address (`index.xml`): RSS only, as Hugo
    /// wrote it, and no page of its own (browsers get the stylesheet).
    static let hugoRSS = FeedFiles(atom: nil, rss: SiteLayout.Name.hugoRSS, json: nil, pages: false)

    static func archivePage(_ page: Int) -> FeedFiles {
        FeedFiles(atom: SiteLayout.Name.archiveAtom(page), rss: SiteLayout.Name.archiveRSS(page), json: nil)
    }
}
