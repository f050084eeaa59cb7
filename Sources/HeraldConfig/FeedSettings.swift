
/// `feeds:` in herald.yml.
public struct FeedSettings: Sendable {
    public enum Content: String, Sendable, CaseIterable { case full, summary }

    /// Newest posts per feed; 0 means all.
    public var entries: Int = 20
    public var content: Content = .full

    public init() {}

    init(yaml: YAMLMapping?, log: ProblemLog) {
        guard var yaml else { return }
        entries = log.attempt { try yaml.int("entries", in: 0...1_000_000) } ?? entries
        content = log.attempt { try yaml.choice("content", Content.self) } ?? content
        yaml.unknownKeys().forEach(log.add)
    }
}
