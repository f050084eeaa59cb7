import HeraldConfig
/// Where the publication's feeds live, for the digest's "view the feed" link.
/// Must agree with the file names the feed writers publish under `base_url`.
struct FeedLinks {
    static let atomFile = "atom.xml"
    static let rssFile = "rss.xml"

    let atom: String
    let rss: String

    init(publication: Publication) {
        atom = publication.baseURL.appendingPathComponent(Self.atomFile).absoluteString
        rss = publication.baseURL.appendingPathComponent(Self.rssFile).absoluteString
    }
}
