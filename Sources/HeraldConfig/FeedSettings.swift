import Foundation
import HeraldBase

/// `feeds:` in herald.yml.
public struct FeedSettings: Sendable {
    public enum Content: String, Sendable, CaseIterable { case full, summary }

    /// Newest posts per feed; 0 means all.
    public var entries: Int = 20
    public var content: Content = .full
    /// Posts per RFC 5005 archive page (`archive/N.xml`, `archive/N.rss`) of the
    /// publication's feed, so a reader can walk back to the first post; 0: no archive.
    public var archive: Int = 0
    /// Whether each feed folder also gets `feed.json` (JSON Feed 1.1): a third copy of
    /// every post, which an all-entries feed of a large site may not want.
    public var json = true
    /// Whether the feeds name `feed.xsl` (written beside them), so a feed opened in a
    /// browser shows as a page that explains it instead of raw XML.
    public var stylesheet = true
    /// A WebSub hub (W3C WebSub): every feed names it, and a build that changed feeds tells
    /// it which, so subscribed readers get new posts pushed instead of polling.
    public var websubHub: String?
    /// Whether herald.yml has `feeds:` at all: a publication fed by another site's feed
    /// republishes it only when asked to (the site has a feed of its own).
    public var declared = false
    /// With `hugo:`, whether the section's and each term's RSS is also written where Hugo
    /// publishes it (`blog/index.xml`, `tags/NAME/index.xml`), so readers of Hugo's feeds
    /// keep them. Off for a second publication of the same language (the term feeds are
    /// one per site and language).
    public var hugoAddresses = true

    public init() {}

    init(yaml: YAMLMapping?, log: ProblemLog) {
        guard var yaml else { return }
        declared = true
        entries = log.attempt { try yaml.int("entries", in: 0...1_000_000) } ?? entries
        content = log.attempt { try yaml.choice("content", Content.self) } ?? content
        archive = log.attempt { try yaml.int("archive", in: 0...100_000) } ?? archive
        json = log.attempt { try yaml.bool("json") } ?? json
        stylesheet = log.attempt { try yaml.bool("stylesheet") } ?? stylesheet
        websubHub = log.attempt { try yaml.value("websub_hub", Self.hubURL) }
        hugoAddresses = log.attempt { try yaml.bool("hugo_index") } ?? hugoAddresses
        yaml.unknownKeys().forEach(log.add)
    }

    /// The hub is reached with a POST and named in every feed: an absolute http(s) URL
    /// that needs no escaping in XML or JSON.
    static func hubURL(_ url: String) throws(ConfigValueError) -> String {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), ["https", "http"].contains(scheme),
            parsed.host?.isEmpty == false, !url.contains(where: { $0.isWhitespace || "<>\"'".contains($0) })
        else {
            throw ConfigValueError(
                "must be an absolute https URL of the WebSub hub, such as "
                    + "https://pubsubhubbub.appspot.com/, not \(URLCredentials.redacted(url).debugDescription)")
        }
        return url
    }
}
