
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

    public init() {}

    init(yaml: YAMLMapping?, log: ProblemLog) {
        guard var yaml else { return }
        entries = log.attempt { try yaml.int("entries", in: 0...1_000_000) } ?? entries
        content = log.attempt { try yaml.choice("content", Content.self) } ?? content
        archive = log.attempt { try yaml.int("archive", in: 0...100_000) } ?? archive
        json = log.attempt { try yaml.bool("json") } ?? json
        stylesheet = log.attempt { try yaml.bool("stylesheet") } ?? stylesheet
        yaml.unknownKeys().forEach(log.add)
    }
}
