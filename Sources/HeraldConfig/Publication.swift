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
    /// Permalink pattern, e.g. `/blog/:slug/`, with Hugo's tokens and meanings; empty for a
    /// Hugo section without a `[permalinks]` pattern (its URLs follow the file paths).
    public let permalink: String
    /// Set when herald.yml says `hugo: SITE`: the posts are a section of that site.
    public let hugo: HugoSource?

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
        var defaults = HugoSource.Defaults()
        var site: HugoSource?
        if let written = try yaml.string("hugo") {
            let loaded = try HugoSource.load(site: written, relativeTo: directory.standardizedFileURL,
                                             section: try yaml.string("section"),
                                             language: try yaml.string("language"), configPath: configPath)
            site = loaded.source
            defaults = loaded.defaults
        }
        hugo = site
        func fromSite(_ key: String, _ value: String?) throws(SourceProblem) -> String {
            if let written = try yaml.string(key), !written.trimmingCharacters(in: .whitespaces).isEmpty { return written }
            if let value, !value.isEmpty { return value }
            throw yaml.problem(yaml.line, site == nil ? "missing required key \"\(key)\""
                : "missing key \"\(key)\": the Hugo site does not set it either")
        }
        title = try fromSite("title", defaults.title)
        description = try yaml.string("description") ?? defaults.description ?? ""

        let base = try fromSite("base_url", defaults.baseURL)
        guard var url = URL(string: base), url.scheme == "https" || url.scheme == "http", url.host != nil else {
            throw yaml.problem(yaml.line, "base_url must be an absolute URL such as https://example.org/, not \"\(base)\"")
        }
        if !url.absoluteString.hasSuffix("/") { url = URL(string: url.absoluteString + "/")! }
        baseURL = url

        // With `hugo:`, `language:` picks one of the site's languages; its code is the feed's.
        language = if let site { defaults.languageCode ?? site.language } else { try yaml.string("language") ?? "en" }
        let zone = try yaml.string("timezone") ?? defaults.timeZone ?? "UTC"
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

        if let site {
            postsDirectory = site.sectionDirectory
            permalink = try yaml.string("permalink") ?? site.permalinks[site.section] ?? ""
        } else {
            let posts = try yaml.string("posts") ?? "posts"
            postsDirectory = URL(fileURLWithPath: posts, relativeTo: self.directory).standardizedFileURL
            permalink = try yaml.string("permalink") ?? "/posts/:slug/"
            guard permalink.hasPrefix("/"), permalink.contains(":slug") else {
                throw yaml.problem(yaml.line, "permalink must start with / and contain :slug, e.g. /blog/:slug/")
            }
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
