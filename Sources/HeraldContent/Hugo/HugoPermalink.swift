import Foundation
import HeraldBase
import HeraldConfig

/// A page's permalink by Hugo's rules (CreateTargetPaths in resources/page/page_paths.go,
/// for regular pages): front matter `url` replaces the whole path; else a `[permalinks]`
/// pattern; else the page's folder and `slug` (or file name). Then the language prefix,
/// Hugo's clean-up and lower-casing, and Go's URL escaping, in Hugo's order.
public struct HugoPermalink: Sendable {
    /// `https://example.org/sub/`.
    public let base: String
    /// `en`, or empty.
    public let languagePrefix: String
    public let pattern: PermalinkPattern?
    public let rules: HugoURLRules

    public init(base: String, languagePrefix: String, pattern: PermalinkPattern?, rules: HugoURLRules) {
        self.base = base.hasSuffix("/") ? base : base + "/"
        self.languagePrefix = languagePrefix
        self.pattern = pattern
        self.rules = rules
    }

    /// The permalink of a publication's pages; a bad pattern is a problem of its config.
    public init(publication: Publication) throws(SourceProblem) {
        let pattern: PermalinkPattern?
        do { pattern = publication.permalink.isEmpty ? nil : try PermalinkPattern(publication.permalink) } catch {
            throw SourceProblem(path: publication.configPath, message: error.message)
        }
        let hugo = publication.hugo
        self.init(
            base: publication.baseURL.absoluteString, languagePrefix: hugo?.languagePrefix ?? "", pattern: pattern,
            rules: HugoURLRules(keepCase: hugo?.disablePathToLower ?? false, removeAccents: hugo?.removePathAccents ?? false))
    }

    /// `url`: front matter `url`, when set.
    public func permalink(_ facts: PermalinkPattern.Facts, url: String?) -> String {
        base + String(link(facts, url: url).dropFirst())
    }

    /// The site-relative link, starting with `/`.
    func link(_ facts: PermalinkPattern.Facts, url: String?) -> String {
        var link: String
        if let url, !url.isEmpty {
            var pagePath = Self.join(["/", url])
            link = pagePath
            let hasDot = url.contains(".")
            let hasSlash = url.hasSuffix("/")
            if hasSlash || !hasDot { pagePath = Self.join([pagePath, "index.html"]) }
            if !pagePath.hasSuffix("/index.html") { link = pagePath } else if !hasSlash { link += "/" }
            // A url without a leading slash is relative to the language.
            if !url.hasPrefix("/"), !languagePrefix.isEmpty, !url.hasPrefix("/" + languagePrefix) {
                link = Self.join([languagePrefix, link])
            }
        } else {
            let expanded = pattern.flatMap { $0.expand(facts, rules: rules) } ?? ""
            let baseName = facts.slug.flatMap { $0.isEmpty ? nil : $0 } ?? facts.page.baseName
            var pagePath = expanded.isEmpty ? Self.join(["/", facts.page.directory, baseName]) : Self.join(["/", expanded])
            if expanded.isEmpty, baseName == "index", pagePath.hasSuffix("index") { pagePath.removeLast(5) }
            link = pagePath + "/"
            if !languagePrefix.isEmpty { link = Self.join([languagePrefix, link]) }
        }
        // Hugo's strings.Trim of slashes, one kept at the end if there was one, one put in front.
        var bytes = Substring(link).utf8
        let hadSlash = bytes.last == UInt8(ascii: "/")
        while bytes.first == UInt8(ascii: "/") { bytes = bytes.dropFirst() }
        while bytes.last == UInt8(ascii: "/") { bytes = bytes.dropLast() }
        link = "/" + String(Substring(bytes)) + (hadSlash && !bytes.isEmpty ? "/" : "")
        // A url from front matter is taken as written; everything else is Hugo-sanitized.
        let escaped = (url?.isEmpty ?? true) ? rules.urlize(link) : HugoURLRules.escape(link)
        return escaped.isEmpty ? "/" : escaped
    }

    /// Go's path.Join that keeps one trailing slash of the last element (Hugo's pjoin).
    static func join(_ elements: [String]) -> String {
        let hadSlash = elements.last?.hasSuffix("/") ?? false
        // One slash between elements: no doubled slash for clean to take out again.
        var path = ""
        for element in elements where !element.isEmpty {
            if !path.isEmpty, path.utf8.last != UInt8(ascii: "/"), element.utf8.first != UInt8(ascii: "/") { path += "/" }
            path +=
                path.utf8.last == UInt8(ascii: "/") && element.utf8.first == UInt8(ascii: "/") ? element.dropFirst() : Substring(element)
        }
        let joined = clean(path)
        return hadSlash && !joined.hasSuffix("/") ? joined + "/" : joined
    }

    /// Go's path.Clean: one slash between names, no `.`, `..` resolved, no trailing slash.
    static func clean(_ path: String) -> String {
        guard !path.isEmpty else { return "." }
        // Already clean (the usual case): no empty, `.` or `..` segment, no trailing slash.
        var previous: UInt8 = 0
        var clean = true
        for b in path.utf8 {
            if previous == UInt8(ascii: "/"), b == UInt8(ascii: "/") || b == UInt8(ascii: ".") {
                clean = false
                break
            }
            previous = b
        }
        if clean, path.utf8.first != UInt8(ascii: ".") {
            return previous == UInt8(ascii: "/") && path.utf8.count > 1 ? String(path.dropLast()) : path
        }
        let rooted = path.hasPrefix("/")
        var out: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if let last = out.last, last != ".." { out.removeLast() } else if !rooted { out.append(part) }
                continue
            }
            out.append(part)
        }
        let body = out.joined(separator: "/")
        return rooted ? "/" + body : (body.isEmpty ? "." : body)
    }
}
