import Foundation
import HeraldBase
import HeraldConfig
import HeraldContent

/// `herald init --hugo`: a commented herald.yml for one section of a Hugo site, one per
/// language that has dated pages in it (or the one language asked for). What Herald reads
/// from the site is shown as comments (uncomment to override); the digest and SMTP keys,
/// which no site holds, are left to fill in.
///
/// The section: the one asked for, else the site's first `mainSections`, else the section
/// with the most dated pages (a section of undated pages, such as projects, makes no feed).
public struct HugoPublicationTemplate {
    public let site: String
    public let section: String?
    public let language: String?
    /// `--timezone`; nil is the site's `timeZone` (then UTC).
    public let timeZone: String?
    /// The folder herald.yml goes in: with one publication as it is, with one per language
    /// `FOLDER-LANG` (`feeds/blog-zh`, `feeds/blog-en`); as written, to show.
    public let folderShown: String
    let folder: URL

    public typealias Failure = PublicationTemplateFailure

    /// What was written, and how the section and languages were chosen (to print).
    public struct Outcome: Sendable {
        /// Each publication's folder (as `folder` was written, with `-LANG` for one of several)
        /// and its herald.yml, in the site's language order.
        public let written: [(folder: String, file: String)]
        public let notes: [String]
    }

    public init(site: String, section: String?, language: String?, timeZone: String? = nil, folder: String) {
        self.site = site
        self.section = section
        self.language = language
        self.timeZone = timeZone
        folderShown = folder.hasSuffix("/") && folder.count > 1 ? String(folder.dropLast()) : folder
        self.folder = URL(fileURLWithPath: folder).standardizedFileURL
    }

    public func write() throws(Failure) -> Outcome {
        if let timeZone, TimeZone(identifier: timeZone) == nil {
            throw .badValue("--timezone: \(timeZone.debugDescription) is not an IANA time zone such as Asia/Shanghai or UTC")
        }
        let siteURL = URL(fileURLWithPath: site).standardizedFileURL
        // The site's languages, and each one's content folder surveyed once.
        let first = try load(section: "", language: language)
        let languages = language == nil ? first.source.languagesInOrder : [first.source.language]
        var surveys: [String: [String: HugoSectionSurvey.Count]] = [:]
        var counts: [String: [String: (pages: Int, dated: Int)]] = [:] // section → language → counts
        // Every content folder of the site: a page named `post.en.md` in the zh folder is English.
        for key in first.source.languagesInOrder {
            let source = key == first.source.language ? first.source : try load(section: "", language: key).source
            let content = source.contentDirectory.path
            guard surveys[content] == nil else { continue }
            let survey = HugoSectionSurvey.survey(
                content: source.contentDirectory, languages: source.languages,
                directoryLanguage: source.directoryLanguage)
            surveys[content] = survey
            for (name, count) in survey {
                for language in languages {
                    let before = counts[name]?[language] ?? (0, 0)
                    counts[name, default: [:]][language] = (
                        before.pages + (count.pages[language] ?? 0), before.dated + (count.dated[language] ?? 0)
                    )
                }
            }
        }
        func dated(_ section: String) -> Int { counts[section]?.values.reduce(0) { $0 + $1.dated } ?? 0 }
        func pages(_ section: String) -> Int { counts[section]?.values.reduce(0) { $0 + $1.pages } ?? 0 }

        var notes: [String] = []
        let chosen: String
        if let section {
            chosen = section.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            guard counts[chosen] != nil else {
                throw .badValue(
                    "--section \(section.debugDescription): no such folder in the site's content; its sections: "
                        + counts.keys.sorted().joined(separator: ", "))
            }
        } else if let main = first.source.mainSections.first {
            chosen = main
            notes.append("section \(main): the site's mainSections")
        } else {
            let ranked = counts.keys.sorted { (dated($0), $1) > (dated($1), $0) }
            guard let best = ranked.first, dated(best) > 0 else {
                throw .badValue(
                    "\(site): no section has a page with a date, so none makes a feed; name one with --section "
                        + "(sections: \(counts.keys.sorted().joined(separator: ", ")))")
            }
            chosen = best
            notes.append("section \(best): the one with the most dated pages")
        }
        let byLanguage = languages.map { "\($0) \(counts[chosen]?[$0]?.dated ?? 0)" }.joined(separator: ", ")
        notes.append("  \(chosen): \(dated(chosen)) dated of \(pages(chosen)) pages (\(byLanguage))")
        let others = counts.keys.sorted().filter { $0 != chosen }
        if !others.isEmpty {
            notes.append(
                "  also there: "
                    + others.map { "\($0) (\(dated($0)) dated of \(pages($0)))" }.joined(separator: ", ")
                    + "; choose one with --section")
        }

        // One publication per language with dated pages in the section; the one asked for always.
        var targets = languages.filter { language != nil || (counts[chosen]?[$0]?.dated ?? 0) > 0 }
        if targets.isEmpty {
            targets = [first.source.defaultLanguage]
            notes.append("  no language has dated pages in \(chosen): wrote \(targets[0]) only")
        }
        let perLanguage = language == nil && first.source.languages.count > 1
        var texts: [(folder: URL, shown: String, text: String)] = []
        for key in targets {
            let target =
                perLanguage ? folder.deletingLastPathComponent().appendingPathComponent("\(folder.lastPathComponent)-\(key)") : folder
            let shown = perLanguage ? "\(folderShown)-\(key)" : folderShown
            let loaded = try load(section: chosen, language: key, from: target)
            let written = PublicationTemplateText.relativePath(from: target, to: siteURL)
            texts.append(
                (
                    target, shown,
                    Self.render(
                        sitePath: written, source: loaded.source, defaults: loaded.defaults, timeZone: timeZone,
                        name: target.lastPathComponent)
                ))
        }
        // Nothing is written when one of them is there already.
        for (target, _, _) in texts where FileManager.default.fileExists(atPath: target.appendingPathComponent("herald.yml").path) {
            throw .exists(target.appendingPathComponent("herald.yml").path)
        }
        var written: [(folder: String, file: String)] = []
        for (target, shown, text) in texts {
            written.append((shown, try PublicationTemplateText.write(text, in: target)))
        }
        return Outcome(written: written, notes: notes)
    }

    private func load(section: String, language: String?, from target: URL? = nil) throws(Failure) -> (
        source: HugoSource, defaults: HugoSource.Defaults
    ) {
        let siteURL = URL(fileURLWithPath: site).standardizedFileURL
        do {
            return try HugoSource.load(
                site: siteURL.path, relativeTo: target ?? folder, section: section, language: language, configPath: site)
        } catch {
            // Shown with the folder as the user wrote it; a broken config file keeps its own path.
            throw .site(error.path == siteURL.path ? SourceProblem(path: site, line: error.line, message: error.message) : error)
        }
    }

    /// `name`: the publication's folder name, its title when the site has none.
    static func render(sitePath: String, source: HugoSource, defaults: HugoSource.Defaults, timeZone: String?, name: String)
        -> String
    {
        let quoted = PublicationTemplateText.quoted
        func shown(_ key: String, _ value: String?) -> String {
            "# \(key): \(value.map(quoted) ?? "")"
        }
        return """
            # A publication made of the "\(source.section)" section of the Hugo site at \(sitePath),
            # in its "\(source.language)" language. Written by `herald init --hugo`.
            # Permalinks follow the site's own rules, so every link in the feeds is the site's.
            hugo: \(sitePath)
            section: \(quoted(source.section))
            language: \(quoted(source.language))

            # Read from the site's config; uncomment a line to publish something else.
            \(defaults.title.map { $0.isEmpty ? nil : $0 } == nil ? "# The site has no title: this one is needed.\ntitle: \(quoted(name))" : shown("title", defaults.title))
            \(shown("description", defaults.description))
            # base_url is the site's root (its baseURL): links get the language's prefix from the site.
            \(shown("base_url", defaults.baseURL))
            \(timeZone.map { "timezone: \(quoted($0))" } ?? shown("timezone", defaults.timeZone ?? "UTC"))
            \(source.permalinks[source.section].map { shown("permalink", $0) } ?? "# permalink: (none: URLs follow the content folders)")
            # Where the feeds, the archive and the subscribe page live on the site: the section's page.
            # Its RSS is also written where Hugo has it (\(source.sectionPath)index.xml, the terms' index.xml).
            \(shown("path", source.sectionPath))
            # author:
            #   name: …

            feeds:
              entries: 20
              content: full

            \(PublicationTemplateText.mailKeys)
            """
    }
}
