import Foundation
import HeraldBase

/// A publication that is one section of a Hugo site, in one of its languages: where its
/// pages are and the site settings that decide their URLs, read from the site's config.
public struct HugoSource: Sendable, Equatable {
    /// The site root (absolute).
    public let site: URL
    /// The config files read, for the build fingerprint.
    public let configFiles: [String]
    /// This language's content folder (absolute).
    public let contentDirectory: URL
    /// The top-level section, a folder of `contentDirectory`.
    public let section: String
    /// Hugo's key of the language (`zh`, `en`), not its BCP 47 code.
    public let language: String
    public let defaultLanguage: String
    /// Every language key of the site: `post.en.md` belongs to `en` only if `en` is one.
    public let languages: Set<String>
    /// The language of a page without a `.LANG.md` suffix in `contentDirectory`.
    public let directoryLanguage: String
    /// `en` → `/en/...` URLs; empty for the default language unless
    /// defaultContentLanguageInSubdir (and for a language on a host of its own).
    public let languagePrefix: String
    /// `[permalinks]`: top-level section → pattern.
    public let permalinks: [String: String]
    public let summaryLength: Int
    public let hasCJKLanguage: Bool
    /// `markup.goldmark.renderer.unsafe`: whether the site's pages show a post's raw HTML.
    public let rendersRawHTML: Bool
    public let disablePathToLower: Bool
    public let removePathAccents: Bool
    /// `params.mainSections`: the sections the site's theme lists as its posts.
    public let mainSections: [String]
    /// `ignoreFiles`: regular expressions; a content file or folder whose absolute path one
    /// matches is not part of the site.
    public var ignoreFiles: [String] = []
    /// Every content folder of the site (absolute path) and the language of its files
    /// without a `.LANG.md` suffix: a `post.en.md` in the zh folder is an English page.
    public var contentFolders: [String: String] = [:]
    /// `disableKinds`, lower-cased: `term` (or `taxonomy`) and `section` pages, or `rss`
    /// altogether, that Hugo does not publish, so it has no `index.xml` there either.
    public var disabledKinds: Set<String> = []

    /// What the site says of the settings herald.yml may override.
    public struct Defaults: Sendable {
        public var title: String?
        public var description: String?
        public var baseURL: String?
        public var languageCode: String?
        public var timeZone: String?
    }

    /// `site`: the folder as written in herald.yml, resolved against `directory`.
    /// `section`, `language`: herald.yml's, when given.
    public static func load(
        site written: String, relativeTo directory: URL, section: String?, language: String?,
        configPath: String
    ) throws(SourceProblem) -> (source: HugoSource, defaults: Defaults) {
        let root = (written.hasPrefix("/") ? URL(fileURLWithPath: written) : directory.appendingPathComponent(written))
            .standardizedFileURL
        let config = try HugoSiteConfig.load(root: root, shownAs: written)
        let c = config.value
        let defaultLanguage = (c["defaultcontentlanguage"]?.string ?? "en").lowercased()
        let languageTable = c["languages"]?.table ?? [:]
        let languages = Set(languageTable.keys).union([defaultLanguage])
        let key = language?.lowercased() ?? defaultLanguage
        guard languages.contains(key) else {
            throw SourceProblem(
                path: configPath,
                message:
                    "language \"\(key)\" is not one of the site's languages (\(languages.sorted().joined(separator: ", ")))")
        }
        let lang = languageTable[key] ?? .table([:])
        func setting(_ name: String) -> HugoConfigValue? { lang[name] ?? c[name] }

        let siteContent = c["contentdir"]?.string ?? "content"
        func contentDir(_ k: String) -> String { languageTable[k]?["contentdir"]?.string ?? siteContent }
        let mine = contentDir(key)
        let content = root.appendingPathComponent(mine).standardizedFileURL
        // A folder shared by several languages holds the default language's pages; one
        // of a language's own holds that language's.
        let sharers = languages.filter { contentDir($0) == mine }
        let directoryLanguage = sharers.count == 1 ? key : (sharers.contains(defaultLanguage) ? defaultLanguage : key)

        let mainSections = setting("params")?["mainsections"]?.strings ?? []
        let chosen: String
        if let written = section {
            chosen = written.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        } else if let main = mainSections.first {
            chosen = main
        } else if let largest = largestSection(in: content) {
            chosen = largest
        } else {
            throw SourceProblem(
                path: configPath,
                message:
                    "the Hugo site has no section in \(content.path): set section: in herald.yml")
        }

        var permalinks: [String: String] = [:]
        for (k, v) in (setting("permalinks")?.table ?? [:]) {
            if let pattern = v.string { permalinks[k.trimmingCharacters(in: CharacterSet(charactersIn: " /"))] = pattern }
        }
        let multihost = lang["baseurl"]?.string.map { !$0.isEmpty } ?? false
        let inSubdir = c["defaultcontentlanguageinsubdir"]?.bool ?? false
        let prefix = multihost || (key == defaultLanguage && !inSubdir) ? "" : key

        var source = HugoSource(
            site: root, configFiles: config.files, contentDirectory: content, section: chosen, language: key,
            defaultLanguage: defaultLanguage, languages: languages, directoryLanguage: directoryLanguage,
            languagePrefix: prefix, permalinks: permalinks,
            summaryLength: setting("summarylength")?.int ?? 70,
            hasCJKLanguage: setting("hascjklanguage")?.bool ?? false,
            rendersRawHTML: lang.at("markup.goldmark.renderer.unsafe")?.bool
                ?? c.at("markup.goldmark.renderer.unsafe")?.bool ?? false,
            disablePathToLower: setting("disablepathtolower")?.bool ?? false,
            removePathAccents: setting("removepathaccents")?.bool ?? false, mainSections: mainSections)
        source.ignoreFiles = c["ignorefiles"]?.strings ?? []
        source.disabledKinds = Set((c["disablekinds"]?.strings ?? []).map { $0.lowercased() })
        for language in languages {
            let folder = contentDir(language)
            let sharers = languages.filter { contentDir($0) == folder }
            source.contentFolders[root.appendingPathComponent(folder).standardizedFileURL.path] =
                sharers.count == 1 ? language : (sharers.contains(defaultLanguage) ? defaultLanguage : language)
        }
        let title = setting("title")?.string
        let defaults = Defaults(
            title: title,
            description: lang.at("params.description")?.string ?? c.at("params.description")?.string ?? title,
            baseURL: setting("baseurl")?.string,
            languageCode: setting("languagecode")?.string ?? (languageTable.isEmpty ? nil : key),
            timeZone: setting("timezone")?.string)
        return (source, defaults)
    }

    /// The folder with the most Markdown files below it: the section a site is mostly made of.
    private static func largestSection(in content: URL) -> String? {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: content.path) else { return nil }
        var best: (String, Int)?
        for name in names.sorted() where !name.hasPrefix(".") {
            var isDir: ObjCBool = false
            let path = content.appendingPathComponent(name).path
            guard fm.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else { continue }
            let count = (fm.enumerator(atPath: path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".md") }.count
            if count > (best?.1 ?? 0) { best = (name, count) }
        }
        return best?.0
    }

    /// Every language key of the site, the default one first, then in name order.
    public var languagesInOrder: [String] { [defaultLanguage] + languages.subtracting([defaultLanguage]).sorted() }

    /// The section's page on the site, and where Hugo writes its `index.xml`: `/blog/`, or
    /// `/en/blog/` for a language in its own folder. Lower-cased as Hugo makes paths,
    /// unless the site says disablePathToLower.
    public var sectionPath: String {
        let folder = disablePathToLower ? section : section.lowercased()
        return "/" + (languagePrefix.isEmpty ? "" : languagePrefix + "/") + (folder.isEmpty ? "" : folder + "/")
    }

    /// The path of a taxonomy's term list in this language, `/tags/` or `/en/tags/`: each
    /// term's page and `index.xml` are in a folder below it.
    public func taxonomyPath(_ taxonomy: String) -> String {
        "/" + (languagePrefix.isEmpty ? "" : languagePrefix + "/") + taxonomy + "/"
    }

    /// The publication's posts folder: the section in this language's content folder.
    public var sectionDirectory: URL { contentDirectory.appendingPathComponent(section) }

    /// The section in the other languages' content folders, where pages of this language
    /// may sit under a `.LANG.md` name; with the language of their unsuffixed files.
    public var otherSectionDirectories: [(directory: URL, language: String)] {
        contentFolders.filter { $0.key != contentDirectory.path }.sorted { $0.key < $1.key }.map {
            (URL(fileURLWithPath: $0.key).appendingPathComponent(section), $0.value)
        }
    }
}
