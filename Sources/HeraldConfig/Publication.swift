import Foundation
import HeraldBase
import Yams

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
    /// The site's root, absolute http(s) URL with a trailing slash: every permalink starts
    /// with it. With `hugo:`, the site's `baseURL` (the language's own, where it sets one).
    public let baseURL: URL
    /// Where the publication's own files (feeds, stylesheet, archive, subscriber pages) live
    /// on the site, below `baseURL`: `/` or `/blog/`, starting and ending with a slash. With
    /// `hugo:` it defaults to the section's path in the language (`/blog/`, `/en/blog/`);
    /// otherwise to `/`. `SiteLayout` turns it into URLs, routes and folders.
    public let path: String
    /// BCP 47 tag, e.g. `zh-CN`.
    public let language: String
    /// Time zone for dates written without an offset, and for digest dates.
    public let timeZone: TimeZone
    public let author: Person
    /// Folder of posts (absolute), may point into a Hugo `content/` tree.
    public let postsDirectory: URL
    /// `state:` in herald.yml (relative to its folder): where subscribers and the journal
    /// live; nil for the default (see `StateDatabase.defaultDirectory`) or a database server.
    public let stateDirectory: URL?
    /// `state: postgresql://…`: the state is in that database instead of a folder.
    public let stateServer: StateServer?
    /// `state_password_file:` (relative to herald.yml's folder): the database password,
    /// where neither HERALD_STATE_PASSWORD nor the systemd credential gives it.
    public let statePasswordFile: URL?
    /// Permalink pattern, e.g. `/blog/:slug/`, with Hugo's tokens and meanings; empty for a
    /// Hugo section without a `[permalinks]` pattern (its URLs follow the file paths).
    public let permalink: String
    /// Set when herald.yml says `hugo: SITE`: the posts are a section of that site.
    public let hugo: HugoSource?
    /// Set when herald.yml says `source: URL`: the posts are another site's feed.
    public let source: FeedSourceSettings?

    public let feeds: FeedSettings
    public let digest: DigestSettings
    public let smtp: SMTPSettings
    /// Nil: digests go out unsigned.
    public let dkim: DKIMSettings?
    /// What `herald serve` allows.
    public let serve: ServeSettings

    /// Config files larger than this are refused rather than parsed.
    static let maxConfigBytes = 1 << 20

    /// Reads `herald.yml` from a publication folder (or the file itself). Every problem
    /// is reported at once, each at the line of its key; all of them are configuration
    /// problems (exit 78).
    public static func load(from path: String) throws(SourceProblems) -> Publication {
        var url = URL(fileURLWithPath: path)
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue {
            url.appendPathComponent("herald.yml")
        }
        let shown =
            path.hasSuffix(".yml") || path.hasSuffix(".yaml")
            ? path
            : (path as NSString).appendingPathComponent("herald.yml")
        func fail(_ line: Int?, _ message: String) -> SourceProblems {
            SourceProblems([SourceProblem(path: shown, line: line, message: message)], exitStatus: .config)
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            // Under systemd this is the first line of the unit's log: say which of the two it is.
            guard FileManager.default.fileExists(atPath: path) else {
                throw fail(nil, "no such file or folder: a publication is a folder holding herald.yml (see `herald init`)")
            }
            throw fail(nil, "cannot read the publication config (is this a feeds/NAME folder?)")
        }
        guard data.count <= maxConfigBytes else { throw fail(nil, "config is larger than 1 MB") }
        guard let text = String(data: data, encoding: .utf8) else { throw fail(nil, "config is not valid UTF-8") }
        let node: Node
        do {
            // Resolver.basic: every value is read as text and typed here, so Yams' default
            // resolver (seven regular expressions compiled per run) would only cost time.
            guard let composed = try Yams.compose(yaml: text, Resolver.basic) else { throw fail(1, "config is empty") }
            node = composed
        } catch let problems as SourceProblems {
            throw problems
        } catch {
            throw SourceProblems([YAMLErrors.problem(error, path: shown, text: text)], exitStatus: .config)
        }
        let log = ProblemLog()
        let yaml: YAMLMapping
        do { yaml = try YAMLMapping(node, path: shown, what: "the publication config") } catch {
            throw SourceProblems([error], exitStatus: .config)
        }
        let publication = Publication(yaml: yaml, directory: url.deletingLastPathComponent(), configPath: shown, log: log)
        guard log.problems.isEmpty else { throw SourceProblems(log.problems, exitStatus: .config) }
        return publication
    }

    /// Reads every key; what is wrong goes to `log` and a harmless default takes its place.
    init(yaml: YAMLMapping, directory: URL, configPath: String, log: ProblemLog) {
        var yaml = yaml
        self.directory = directory.standardizedFileURL
        self.name = self.directory.lastPathComponent
        self.configPath = configPath
        // With `hugo:`, the site's config gives what herald.yml leaves out.
        var defaults = HugoSource.Defaults()
        var site: HugoSource?
        let folder = directory.standardizedFileURL
        if let written = log.attempt({ try yaml.string("hugo") }) {
            let section = log.attempt { try yaml.string("section") }
            let chosen = log.attempt { try yaml.string("language") }
            if let loaded = log.attempt({
                try HugoSource.load(
                    site: written, relativeTo: folder, section: section,
                    language: chosen, configPath: configPath)
            }) {
                site = loaded.source
                defaults = loaded.defaults
            }
        }
        hugo = site
        func fromSite(_ key: String, _ value: String?) -> String? {
            if yaml.has(key) || value?.isEmpty ?? true { return log.attempt { try yaml.requiredString(key) } }
            return value
        }
        title = fromSite("title", defaults.title) ?? ""
        description = log.attempt { try yaml.string("description") } ?? defaults.description ?? ""
        let base =
            yaml.has("base_url")
            ? log.attempt({ try yaml.value("base_url", Self.baseURL) }) ?? nil
            : defaults.baseURL.flatMap { try? Self.baseURL($0) }
        if base == nil, !yaml.has("base_url") { _ = fromSite("base_url", nil) }
        baseURL = base ?? URL(string: "https://invalid.example/")!
        if let site, yaml.has("base_url"), let problem = Self.repeatedLanguage(in: baseURL, site: site) {
            log.add(yaml.problem(yaml.line(of: "base_url"), problem))
        }
        path =
            log.attempt { try yaml.value("path", SitePath.parse) }
            ?? site?.sectionPath ?? "/"
        // With `hugo:`, `language:` picks one of the site's languages; its code is the feed's.
        language =
            site.map { defaults.languageCode ?? $0.language } ?? log.attempt {
                try yaml.value("language") { tag throws(ConfigValueError) in
                    if let problem = LanguageTag.problem(tag) { throw ConfigValueError(problem) }
                    return tag
                }
            } ?? "en"
        let zone = yaml.has("timezone") ? nil : defaults.timeZone.flatMap(TimeZone.init(identifier:))
        timeZone =
            zone ?? log.attempt {
                try yaml.value("timezone") { zone throws(ConfigValueError) in
                    guard let tz = TimeZone(identifier: zone) else {
                        throw ConfigValueError("\(zone.debugDescription) is not an IANA time zone such as Asia/Shanghai")
                    }
                    return tz
                }
            } ?? TimeZone(identifier: "UTC")!

        if var a = log.attempt({ try yaml.mapping("author") }) {
            author = Person(
                name: log.attempt { try a.requiredString("name") } ?? title,
                uri: log.attempt { try a.string("uri") },
                email: log.attempt { try a.string("email") })
            a.unknownKeys().forEach(log.add)
        } else {
            author = Person(name: title)
        }

        let stateText = log.attempt { try yaml.string("state") }
        if let stateText, StateServer.isServerURL(stateText) {
            stateDirectory = nil
            stateServer = log.attempt {
                try yaml.value("state") { text throws(ConfigValueError) in
                    do throws(StateServer.Invalid) { return try StateServer(url: text, relativeTo: folder) } catch {
                        throw ConfigValueError(error.description)
                    }
                }
            }
        } else {
            stateDirectory = stateText.map { URL(fileURLWithPath: $0, relativeTo: folder).standardizedFileURL }
            stateServer = nil
        }
        statePasswordFile = log.attempt { try yaml.string("state_password_file") }.map {
            URL(fileURLWithPath: $0, relativeTo: folder).standardizedFileURL
        }
        if statePasswordFile != nil, stateText.map(StateServer.isServerURL) != true {
            log.add(
                yaml.problem(
                    yaml.line(of: "state_password_file"),
                    "state_password_file is read only with state: postgresql://…; the SQLite state needs no password"))
        }
        if let site {
            postsDirectory = site.sectionDirectory
            permalink = log.attempt { try yaml.string("permalink") } ?? site.permalinks[site.section] ?? ""
        } else {
            let posts = log.attempt { try yaml.string("posts") } ?? "posts"
            postsDirectory = URL(fileURLWithPath: posts, relativeTo: self.directory).standardizedFileURL
            permalink =
                log.attempt {
                    try yaml.value("permalink") { pattern throws(ConfigValueError) in
                        guard pattern.hasPrefix("/"), pattern.contains(":slug") else {
                            throw ConfigValueError("must start with / and contain :slug, e.g. /blog/:slug/")
                        }
                        return pattern
                    }
                } ?? "/posts/:slug/"
        }

        source = FeedSourceSettings.read(&yaml, directory: folder, log: log)
        if source != nil, site != nil {
            log.add(yaml.problem(yaml.line(of: "source"), "source: and hugo: exclude each other: a publication takes its posts from one"))
        }
        feeds = FeedSettings(yaml: log.attempt { try yaml.mapping("feeds") }, log: log)
        digest = DigestSettings(yaml: log.attempt { try yaml.mapping("digest") }, timeZone: timeZone, log: log)
        smtp = SMTPSettings(yaml: log.attempt { try yaml.mapping("smtp") }, log: log)
        dkim = DKIMSettings(yaml: log.attempt { try yaml.mapping("dkim") }, log: log)
        serve = ServeSettings(yaml: log.attempt { try yaml.mapping("serve") }, log: log)
        yaml.unknownKeys().forEach(log.add)
    }

    /// A `base_url` that ends with the language's prefix (`https://site/en/` for `en`) would
    /// give `https://site/en/en/blog/…`: Hugo puts the prefix after the site's root itself.
    private static func repeatedLanguage(in base: URL, site: HugoSource) -> String? {
        guard !site.languagePrefix.isEmpty else { return nil }
        let prefix = "/" + site.languagePrefix + "/"
        guard base.absoluteString.hasSuffix(prefix) else { return nil }
        var root = base.absoluteString
        root.removeLast(prefix.count - 1)
        return "is the site's root, and Hugo adds /\(site.languagePrefix)/ to every link of the "
            + "\"\(site.language)\" language itself: \(base.absoluteString) would link to "
            + "\(base.absoluteString)\(site.languagePrefix)/…. Write base_url: \(root) (or leave it out: the site's "
            + "baseURL is used); the feeds' own place is path: (default \(site.sectionPath))"
    }

    /// An absolute http(s) URL, with a trailing slash added.
    private static func baseURL(_ base: String) throws(ConfigValueError) -> URL {
        guard var url = URL(string: base), url.scheme == "https" || url.scheme == "http", url.host != nil else {
            throw ConfigValueError("must be an absolute URL such as https://example.org/, not \(base.debugDescription)")
        }
        if !url.absoluteString.hasSuffix("/") { url = URL(string: url.absoluteString + "/")! }
        return url
    }
}
