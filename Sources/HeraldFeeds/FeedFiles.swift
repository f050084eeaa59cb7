import HeraldConfig

/// The file names one feed plan writes in its folder: `atom.xml`, `rss.xml` and
/// `feed.json` for a publication, tag or category feed; `N.xml` and `N.rss` for archive
/// page N (JSON Feed has no archive pages).
struct FeedFiles: Sendable {
    let atom: String
    let rss: String
    let json: String?

    var all: [String] { [atom, rss] + (json.map { [$0] } ?? []) }

    static let standard = FeedFiles(atom: SiteLayout.Name.atom, rss: SiteLayout.Name.rss, json: SiteLayout.Name.json)
    /// `feeds.json: false`.
    static let xmlOnly = FeedFiles(atom: SiteLayout.Name.atom, rss: SiteLayout.Name.rss, json: nil)

    static func of(_ publication: Publication) -> FeedFiles { publication.feeds.json ? standard : xmlOnly }

    static func archivePage(_ page: Int) -> FeedFiles {
        FeedFiles(atom: SiteLayout.Name.archiveAtom(page), rss: SiteLayout.Name.archiveRSS(page), json: nil)
    }
}
