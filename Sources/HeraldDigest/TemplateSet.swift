import Foundation
import HeraldConfig
import Mustache

/// A set of Mustache templates: the built-in ones (or every `*.mustache` of a folder given
/// instead), each replaced by a file of the same name in the publication's own folder. The
/// digest's (`templates/`) and `herald serve`'s subscriber pages (`templates/serve/`) are two
/// such sets. Partials are referenced by file name without `.mustache` (`{{> post.html}}`).
package struct TemplateSet: Sendable {
    static let html = "digest.html"
    static let text = "digest.txt"
    static let archiveIndex = "archive.html"

    let library: MustacheLibrary

    /// The default templates (`templatesDirectory`, else `TemplateLocator.find()`, else the
    /// built-in ones), each overridden by the publication's own `templates/` file of the same name.
    package static func locate(for publication: Publication, templatesDirectory: URL? = nil) throws(DigestError) -> TemplateSet {
        let defaults: URL?
        if let templatesDirectory { defaults = templatesDirectory } else { defaults = try TemplateLocator.find() }
        let overrides = publication.directory.appendingPathComponent("templates")
        return try TemplateSet(
            defaults: defaults,
            overrides: FileManager.default.fileExists(atPath: overrides.path) ? overrides : nil)
    }

    /// `defaults` nil: the built-in templates.
    init(defaults: URL?, overrides: URL?) throws(DigestError) {
        try self.init(
            builtIn: DefaultTemplates.files, builtInFolder: "templates", defaults: defaults, overrides: overrides,
            required: [Self.html, Self.text])
    }

    /// Any set, e.g. `herald serve`'s subscriber pages (built in from `templates/serve/`).
    /// `builtIn` maps file names to their text.
    package init(
        builtIn: [String: String], builtInFolder: String, defaults: URL?, overrides: URL?,
        required: [String]
    ) throws(DigestError) {
        // name → (where it came from, for messages; its text)
        var files: [String: (path: String, source: String)] = [:]
        if let defaults {
            for (name, url) in Self.templateFiles(in: defaults) { files[name] = (url.path, try Self.read(url)) }
        } else {
            for (file, source) in builtIn where file.hasSuffix(".mustache") {
                files[String(file.dropLast(".mustache".count))] = ("(built-in) \(builtInFolder)/\(file)", source)
            }
        }
        if let overrides {
            for (name, url) in Self.templateFiles(in: overrides) { files[name] = (url.path, try Self.read(url)) }
        }
        let searched = [defaults?.path ?? "the built-in templates", overrides?.path].compactMap { $0 }
        for required in required where files[required] == nil {
            throw .missingTemplate(name: required, searched: searched)
        }
        var library = MustacheLibrary()
        for (name, file) in files.sorted(by: { $0.key < $1.key }) {
            library.register(try Self.compile(file.source, name: name, path: file.path), named: name)
            try Self.checkPartials(in: file.source, path: file.path, known: Set(files.keys))
        }
        self.library = library
    }

    private static func read(_ url: URL) throws(DigestError) -> String {
        guard let source = try? String(contentsOf: url, encoding: .utf8) else {
            throw .template(path: url.path, line: nil, message: "cannot read the file as UTF-8")
        }
        return source
    }

    /// `text` as an HTML template's `{{…}}` shows it, escaped by the template library
    /// itself (its escaping is internal to it): what the digest cache fills in must be
    /// byte for byte what a full render writes.
    func htmlEscaped(_ text: String) -> String {
        // Text without any of the five characters it escapes comes out as it went in;
        // most names and addresses are such, and each message would otherwise render a
        // template per value (BENCHMARKS.md, "The per-message CPU cuts").
        guard text.utf8.contains(where: Self.escapable) else { return text }
        return Self.escapeProbe.render(["v": text])
    }

    /// `< > & " '`: the bytes the template library's HTML escaping replaces.
    private static func escapable(_ byte: UInt8) -> Bool {
        byte == 0x3C || byte == 0x3E || byte == 0x26 || byte == 0x22 || byte == 0x27
    }

    private static let escapeProbe = try! MustacheTemplate(string: "{{v}}")

    /// Compiles one template; text templates (`*.txt`, the subject) get the
    /// TEXT content type so `&` stays `&`. The pragma goes on the first line
    /// so error line numbers still match the file.
    static func compile(_ source: String, name: String, path: String) throws(DigestError) -> MustacheTemplate {
        let isText = !name.hasSuffix(".html")
        do {
            return try MustacheTemplate(string: (isText ? "{{% CONTENT_TYPE: TEXT}}" : "") + source)
        } catch let error as MustacheTemplate.ParserError {
            throw .template(path: path, line: error.context.lineNumber, message: describe(error.error))
        } catch {
            throw .template(path: path, line: nil, message: "\(error)")
        }
    }

    private static func describe(_ error: any Error) -> String {
        guard let error = error as? MustacheTemplate.Error else { return "\(error)" }
        switch error {
        case .sectionCloseNameIncorrect: return "{{/…}} closes a section that is not the one open"
        case .unfinishedName: return "a tag is not closed with }}"
        case .expectedSectionEnd: return "a section {{#…}} is never closed with {{/…}}"
        case .invalidSetDelimiter: return "invalid set-delimiter tag"
        case .unrecognisedConfigVariable: return "unknown {{% … }} pragma"
        default: return "\(error)"
        }
    }

    /// swift-mustache renders a missing partial as nothing; a typo in a partial
    /// name should instead fail loudly with the line it is on.
    private static func checkPartials(in source: String, path: String, known: Set<String>) throws(DigestError) {
        for (index, line) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            for name in partialNames(in: line) where !known.contains(name) {
                throw .template(
                    path: path, line: index + 1, message: "partial \"\(name)\" not found (expected \(name).mustache next to it)")
            }
        }
    }

    /// The names of the partials a line includes: `{{> name}}` or `{{< name}}`, blanks allowed
    /// around the name. Scanned by hand: a Regex is compiled per call and every command starts
    /// by checking every template, which cost milliseconds.
    static func partialNames(in line: Substring) -> [String] {
        let bytes = Array(line.utf8)
        var names: [String] = []
        var i = 0
        while i + 2 < bytes.count {
            guard bytes[i] == UInt8(ascii: "{"), bytes[i + 1] == UInt8(ascii: "{"),
                bytes[i + 2] == UInt8(ascii: ">") || bytes[i + 2] == UInt8(ascii: "<")
            else {
                i += 1
                continue
            }
            var j = i + 3
            while j < bytes.count, isBlank(bytes[j]) { j += 1 }
            let start = j
            while j < bytes.count, bytes[j] != UInt8(ascii: "}"), !isBlank(bytes[j]) { j += 1 }
            let end = j
            while j < bytes.count, isBlank(bytes[j]) { j += 1 }
            if end > start, j + 1 < bytes.count, bytes[j] == UInt8(ascii: "}"), bytes[j + 1] == UInt8(ascii: "}") {
                names.append(String(decoding: bytes[start..<end], as: UTF8.self))
                i = j + 2
            } else {
                i += 1
            }
        }
        return names
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    private static func templateFiles(in dir: URL) -> [(String, URL)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".mustache") }.map { name in
            (String(name.dropLast(".mustache".count)), dir.appendingPathComponent(name))
        }
    }

    package func render(_ name: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: name) ?? ""
    }
}
