import Foundation
import HeraldBase
import HeraldConfig
import HeraldContent

/// What every feed of one publication shares: its settings, author and category schemes.
struct FeedContext: Sendable {
    let publication: Publication
    /// Where the tag and category feeds live: the schemes of entries' categories.
    let tagScheme: String
    let categoryScheme: String
    /// The publication's folder relative to the site's folder (`""`, `blog/`): its feeds,
    /// stylesheet and archive are in it.
    let folder: String
    /// Its home URL: the publication's feed's folder.
    let home: URL
    /// Where Hugo published the section's and terms' RSS, when Herald writes it there too.
    let hugoFeeds: HugoFeedPaths?
    /// The publication's labels, for the feeds' pages (`FeedPage`): read once per build,
    /// not once per page (they were a few per cent of a build that wrote a dozen pages).
    let labels: [String: String]

    init(publication: Publication) {
        self.publication = publication
        let site = SiteLayout(publication: publication)
        tagScheme = site.url(ofFile: SiteLayout.Name.tags + "/")
        categoryScheme = site.url(ofFile: SiteLayout.Name.categories + "/")
        folder = site.folder
        home = URL(string: site.home)!
        hugoFeeds = site.hugoFeeds
        labels = publication.feeds.stylesheet ? Labels(for: publication).values : [:]
    }

    var content: FeedSettings.Content { publication.feeds.content }

    /// The author of an entry: the post's own, else the publication's.
    func author(of post: Post) -> Person {
        post.author.name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? publication.author : post.author
    }
}

/// The generator named in every feed: Herald, at the version `herald --version` prints.
public enum HeraldGenerator {
    public static let name = "Herald"
    public static let version = HeraldVersion.current
}
