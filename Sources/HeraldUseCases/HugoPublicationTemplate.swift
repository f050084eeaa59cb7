import Foundation
import HeraldBase
import HeraldConfig

/// `herald init --hugo`: a commented herald.yml for one section and language of a Hugo
/// site. What Herald reads from the site is shown as comments (uncomment to override);
/// the digest and SMTP keys, which no site holds, are left to fill in.
public struct HugoPublicationTemplate {
    public let site: String
    public let section: String?
    public let language: String?
    /// The folder herald.yml goes in.
    public let folder: URL

    public typealias Failure = PublicationTemplateFailure

    public init(site: String, section: String?, language: String?, folder: URL) {
        self.site = site
        self.section = section
        self.language = language
        self.folder = folder.standardizedFileURL
    }

    /// Writes `folder/herald.yml`; returns its path.
    public func write() throws(Failure) -> String {
        let siteURL = URL(fileURLWithPath: site).standardizedFileURL
        let written = PublicationTemplateText.relativePath(from: folder, to: siteURL)
        let loaded: (source: HugoSource, defaults: HugoSource.Defaults)
        do {
            loaded = try HugoSource.load(
                site: siteURL.path, relativeTo: folder, section: section, language: language,
                configPath: site)
        } catch {
            // Shown with the folder as the user wrote it; a broken config file keeps its own path.
            throw .site(error.path == siteURL.path ? SourceProblem(path: site, line: error.line, message: error.message) : error)
        }
        let text = Self.render(sitePath: written, source: loaded.source, defaults: loaded.defaults)
        return try PublicationTemplateText.write(text, in: folder)
    }

    static func render(sitePath: String, source: HugoSource, defaults: HugoSource.Defaults) -> String {
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
            \(shown("title", defaults.title))
            \(shown("description", defaults.description))
            \(shown("base_url", defaults.baseURL))
            \(shown("timezone", defaults.timeZone ?? "UTC"))
            \(source.permalinks[source.section].map { shown("permalink", $0) } ?? "# permalink: (none: URLs follow the content folders)")
            # author:
            #   name: …

            feeds:
              entries: 20
              content: full

            \(PublicationTemplateText.mailKeys)
            """
    }
}
