import HeraldConfig

/// Where the publication's feeds live, for the digest's "view the feed" link.
struct FeedLinks {
    let atom: String
    let rss: String

    init(publication: Publication) {
        let site = SiteLayout(publication: publication)
        atom = site.url(ofFile: SiteLayout.Name.atom)
        rss = site.url(ofFile: SiteLayout.Name.rss)
    }
}
