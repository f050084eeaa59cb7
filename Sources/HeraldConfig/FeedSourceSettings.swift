import Foundation
import HeraldBase
import Yams

/// `source:` in herald.yml: the publication's posts are another site's feed (Atom, RSS or
/// JSON Feed) instead of a folder. Either the address alone (`source: https://…/feed.xml`)
/// or a mapping with the fetch's limits:
///
///     source:
///       url: https://blog.example.org/feed.xml
///       timeout: 30        # seconds for the whole fetch
///       max_size: 16       # MiB
public struct FeedSourceSettings: Sendable, Equatable {
    /// An absolute http(s) URL, or `file://` with an absolute path (a relative one in
    /// herald.yml is resolved against its folder).
    public let url: String
    public let timeout: Int
    public let maxBytes: Int

    public static let defaultTimeout = 30
    public static let defaultMaxMiB = 16

    public init(url: String, timeout: Int = Self.defaultTimeout, maxBytes: Int = Self.defaultMaxMiB << 20) {
        self.url = url
        self.timeout = timeout
        self.maxBytes = maxBytes
    }

    /// The setting, or nil when herald.yml has no `source:` (or only a broken one, logged).
    static func read(_ yaml: inout YAMLMapping, directory: URL, log: ProblemLog) -> FeedSourceSettings? {
        // Asked for even when absent, so an unknown key's message lists it among the known ones.
        guard let (node, line) = yaml.node("source") else { return nil }
        var written: String?
        var timeout = defaultTimeout
        var maxMiB = defaultMaxMiB
        switch node {
        case .scalar(let scalar):
            written = scalar.string
        case .mapping:
            guard
                var mapping = log.attempt({ () throws(SourceProblem) in
                    try YAMLMapping(node, path: yaml.path, prefix: "source.", what: "\"source\"")
                })
            else { return nil }
            written = log.attempt { try mapping.requiredString("url") }
            timeout = log.attempt { try mapping.int("timeout", in: 1...600) } ?? timeout
            maxMiB = log.attempt { try mapping.int("max_size", in: 1...1024) } ?? maxMiB
            mapping.unknownKeys().forEach(log.add)
        default:
            log.add(yaml.problem(line, "\"source\" must be a feed's address, such as https://blog.example.org/feed.xml"))
            return nil
        }
        guard let written else { return nil }
        switch address(Whitespace.trimmed(written), directory: directory) {
        case .success(let url): return FeedSourceSettings(url: url, timeout: timeout, maxBytes: maxMiB << 20)
        case .failure(let error):
            log.add(yaml.problem(line, "source: \(error.message)"))
            return nil
        }
    }

    /// Why an address cannot be a source, as a sentence.
    package struct AddressProblem: Error {
        package let message: String
        init(_ message: String) { self.message = message }
    }

    /// `https://…`, `http://…`, or `file:PATH` / `file://PATH` (PATH absolute, or relative to herald.yml's folder).
    package static func address(_ text: String, directory: URL) -> Result<String, AddressProblem> {
        let lower = text.lowercased()
        if lower.hasPrefix("file:") {
            var path = String(text.dropFirst(5))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            path = path.removingPercentEncoding ?? path
            guard !path.isEmpty else { return .failure(AddressProblem("file: needs a path, such as file:///srv/site/feed.xml")) }
            let file = path.hasPrefix("/") ? URL(fileURLWithPath: path) : URL(fileURLWithPath: path, relativeTo: directory)
            return .success(file.standardizedFileURL.absoluteString)
        }
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), let url = URL(string: text), url.host?.isEmpty == false
        else {
            return .failure(
                AddressProblem("must be a feed's http(s) address or a file: path, not \(text.debugDescription)"))
        }
        return .success(url.absoluteString)
    }
}
