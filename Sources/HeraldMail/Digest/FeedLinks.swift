import HeraldConfig

/// Where the publication's feeds live, for the digest's "view the feed" link.
struct FeedLinks {
    let atom: String
    let rss: String

    init(publication: Publication) {
        atom = publication.baseURL.appendingPathComponent(FeedFileNames.atom).absoluteString
        rss = publication.baseURL.appendingPathComponent(FeedFileNames.rss).absoluteString
    }
}
