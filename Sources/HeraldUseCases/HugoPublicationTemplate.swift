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

    public enum Failure: ExitStatusError {
        case site(SourceProblem)
        case exists(String)
        case cannotWrite(String, String)

        public var description: String {
            switch self {
            case .site(let problem): problem.description
            case .exists(let path): "\(path) already exists: remove it first, or write to another folder"
            case .cannotWrite(let path, let why): "\(path): cannot write: \(why)"
            }
        }

        public var exitStatus: ExitStatus {
            switch self {
            case .site: .usage
            case .exists, .cannotWrite: .cantCreate
            }
        }
    }

    public init(site: String, section: String?, language: String?, folder: URL) {
        self.site = site
        self.section = section
        self.language = language
        self.folder = folder.standardizedFileURL
    }

    /// Writes `folder/herald.yml`; returns its path.
    public func write() throws(Failure) -> String {
        let siteURL = URL(fileURLWithPath: site).standardizedFileURL
        let written = Self.relativePath(from: folder, to: siteURL)
        let loaded: (source: HugoSource, defaults: HugoSource.Defaults)
        do {
            loaded = try HugoSource.load(site: siteURL.path, relativeTo: folder, section: section, language: language,
                                         configPath: site)
        } catch {
            // Shown with the folder as the user wrote it; a broken config file keeps its own path.
            throw .site(error.path == siteURL.path ? SourceProblem(path: site, line: error.line, message: error.message) : error)
        }
        let file = folder.appendingPathComponent("herald.yml")
        guard !FileManager.default.fileExists(atPath: file.path) else { throw .exists(file.path) }
        let text = Self.render(sitePath: written, source: loaded.source, defaults: loaded.defaults)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: file, options: .withoutOverwriting)
        } catch {
            throw .cannotWrite(file.path, error.localizedDescription)
        }
        return file.path
    }

    static func render(sitePath: String, source: HugoSource, defaults: HugoSource.Defaults) -> String {
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

            # The digest: fill these in to send mail (see README.md).
            # digest:
            #   content: summary
            #   schedule: weekly Fri 15:00
            #   subject: "{{publication.title}} #{{digest.number}}"
            #   from: Name <weekly@example.org>
            #   unsubscribe_url: https://example.org/unsubscribe
            # smtp:
            #   url: smtp://smtp.example.org:587
            #   starttls: required
            #   username: weekly@example.org
            #   password_file: /etc/herald/smtp-password

            """
    }

    /// YAML double quotes when the value needs them.
    private static func quoted(_ s: String) -> String {
        let plain = !s.isEmpty && s.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil
            || "-_./".unicodeScalars.contains($0) } && !["true", "false", "yes", "no", "null", "on", "off"].contains(s.lowercased())
        guard !plain else { return s }
        let escaped = s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(escaped)\""
    }

    /// `to` as a path relative to `from` (both absolute folders).
    static func relativePath(from: URL, to: URL) -> String {
        let a = from.standardizedFileURL.pathComponents, b = to.standardizedFileURL.pathComponents
        var common = 0
        while common < a.count, common < b.count, a[common] == b[common] { common += 1 }
        let parts = Array(repeating: "..", count: a.count - common) + b[common...]
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}
