import Foundation
import Yams
import HeraldBase

/// A publication: `feeds/NAME/herald.yml` read and checked.
/// Everything downstream takes its settings from here, never from the YAML.
public struct Publication: Sendable {
    /// The folder name under `feeds/`, used for output and state folders.
    public let name: String
    /// The config file, as given (for error messages).
    public let configPath: String
    /// The folder that holds `herald.yml` (and optional `templates/`).
    public let directory: URL

    public let title: String
    public let description: String
    /// Absolute https URL with a trailing slash.
    public let baseURL: URL
    /// BCP 47 tag, e.g. `zh-CN`.
    public let language: String
    /// Time zone for dates written without an offset, and for digest dates.
    public let timeZone: TimeZone
    public let author: Person
    /// Folder of posts (absolute), may point into a Hugo `content/` tree.
    public let postsDirectory: URL
    /// Permalink pattern, e.g. `/blog/:slug/` (`:slug`, `:year`, `:month`, `:day`).
    public let permalink: String

    public let feeds: FeedSettings
    public let digest: DigestSettings
    public let smtp: SMTPSettings

    /// Config files larger than this are refused rather than parsed.
    static let maxConfigBytes = 1 << 20

    /// Reads `herald.yml` from a publication folder (or the file itself).
    public static func load(from path: String) throws(SourceProblem) -> Publication {
        var url = URL(fileURLWithPath: path)
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue {
            url.appendPathComponent("herald.yml")
        }
        let shown = path.hasSuffix(".yml") || path.hasSuffix(".yaml") ? path
            : (path as NSString).appendingPathComponent("herald.yml")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw SourceProblem(path: shown, message: "cannot read the publication config (is this a feeds/NAME folder?)")
        }
        guard data.count <= maxConfigBytes else {
            throw SourceProblem(path: shown, message: "config is larger than 1 MB")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SourceProblem(path: shown, message: "config is not valid UTF-8")
        }
        let node: Node
        do {
            guard let composed = try Yams.compose(yaml: text) else {
                throw SourceProblem(path: shown, line: 1, message: "config is empty")
            }
            node = composed
        } catch let problem as SourceProblem {
            throw problem
        } catch {
            throw YAMLErrors.problem(error, path: shown)
        }
        let dir = url.deletingLastPathComponent()
        var yaml = try YAMLMapping(node, path: shown, what: "the publication config")
        return try Publication(yaml: &yaml, directory: dir, configPath: shown)
    }

    init(yaml: inout YAMLMapping, directory: URL, configPath: String) throws(SourceProblem) {
        self.directory = directory.standardizedFileURL
        self.name = self.directory.lastPathComponent
        self.configPath = configPath
        title = try yaml.requiredString("title")
        description = try yaml.string("description") ?? ""

        let base = try yaml.requiredString("base_url")
        guard var url = URL(string: base), url.scheme == "https" || url.scheme == "http", url.host != nil else {
            throw yaml.problem(yaml.line, "base_url must be an absolute URL such as https://example.org/, not \"\(base)\"")
        }
        if !url.absoluteString.hasSuffix("/") { url = URL(string: url.absoluteString + "/")! }
        baseURL = url

        language = try yaml.string("language") ?? "en"
        let zone = try yaml.string("timezone") ?? "UTC"
        guard let tz = TimeZone(identifier: zone) else {
            throw yaml.problem(yaml.line, "timezone \"\(zone)\" is not an IANA time zone such as Asia/Shanghai")
        }
        timeZone = tz

        if var a = try yaml.mapping("author") {
            author = Person(name: try a.requiredString("name"), uri: try a.string("uri"), email: try a.string("email"))
            try a.rejectUnknownKeys(known: "author (name, uri, email)")
        } else {
            author = Person(name: title)
        }

        let posts = try yaml.string("posts") ?? "posts"
        postsDirectory = URL(fileURLWithPath: posts, relativeTo: self.directory).standardizedFileURL
        permalink = try yaml.string("permalink") ?? "/posts/:slug/"
        guard permalink.hasPrefix("/"), permalink.contains(":slug") else {
            throw yaml.problem(yaml.line, "permalink must start with / and contain :slug, e.g. /blog/:slug/")
        }

        var feedsYAML = try yaml.mapping("feeds")
        feeds = try FeedSettings(yaml: &feedsYAML)
        var digestYAML = try yaml.mapping("digest")
        digest = try DigestSettings(yaml: &digestYAML)
        var smtpYAML = try yaml.mapping("smtp")
        smtp = try SMTPSettings(yaml: &smtpYAML)

        try yaml.rejectUnknownKeys(known: "the publication config")
    }
}
