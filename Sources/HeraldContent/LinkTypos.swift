import Foundation
import HeraldBase

/// Link destinations that are almost certainly typos (`*https://…`, `hhttps://`, `ttps://`,
/// `htps://`, `http//`, a space inside): a reader clicking them gets a broken page or
/// a link back into the post, so `herald check` names them. Only what cannot be meant:
/// real schemes (`ftp:`, `mailto:`, `tel:`), relative paths and anchors are never flagged.
enum LinkTypos {
    /// Why `destination` (as written in the Markdown, before it is made absolute) looks
    /// like a mistyped web address, or nil.
    static func problem(in destination: String) -> String? {
        // Every link of every post is asked: the usual ones are answered from the bytes.
        if HTMLSanitizer.isPlainAbsolute(destination) || !mayBeTypo(destination.utf8) { return nil }
        let url = destination.trimmingCharacters(in: .whitespaces)
        guard !url.isEmpty else { return nil }
        let lower = url.lowercased()
        if url.contains(where: \.isWhitespace) {
            return "link \(quoted(url)) has a space inside: encode it as %20 or remove it"
        }
        // Junk before the scheme, as when Markdown emphasis or a quote mark slips into the URL.
        if let at = lower.range(of: "http"), at.lowerBound != lower.startIndex,
            lower[..<at.lowerBound].allSatisfy({ !$0.isLetter && !$0.isNumber && $0 != "/" && $0 != "." && $0 != "#" && $0 != "?" }),
            lower[at.upperBound...].hasPrefix("://") || lower[at.upperBound...].hasPrefix("s://")
        {
            return "link \(quoted(url)) has \(quoted(String(url[..<at.lowerBound]))) before its address: remove it"
        }
        if lower.hasPrefix("http//") || lower.hasPrefix("https//") {
            return
                "link \(quoted(url)) lacks the colon after http(s): write \(quoted(fixed(url, scheme: lower.hasPrefix("https") ? "https" : "http", dropping: lower.hasPrefix("https") ? 7 : 6)))"
        }
        guard let colon = lower.firstIndex(of: ":") else { return nil }
        let scheme = String(lower[..<colon])
        if scheme == "http" || scheme == "https" {
            let rest = lower[lower.index(after: colon)...]
            if !rest.hasPrefix("//") { return "link \(quoted(url)) needs two slashes after \(scheme):" }
            return nil
        }
        if Self.mistypedSchemes.contains(scheme), lower[lower.index(after: colon)...].hasPrefix("//") {
            let meant = scheme.hasSuffix("s") ? "https" : "http"
            return "link \(quoted(url)) starts with \(quoted(scheme + "://")): did you mean \(quoted(meant + "://"))?"
        }
        return nil
    }

    /// One letter missing, doubled or swapped in `http` or `https`.
    static let mistypedSchemes: Set<String> = [
        "ttp", "ttps", "htp", "htps", "htt", "htts", "hhttp", "hhttps", "htttp", "htttps", "httpp", "httpps", "httpss",
        "thtp", "thtps", "htpt", "htpts", "hppt", "hppts", "hhtp", "hhtps",
    ]

    /// Whether the URL has a space, `tp`, `:/` or `//`: every pattern above has one.
    private static func mayBeTypo(_ bytes: String.UTF8View) -> Bool {
        var previous: UInt8 = 0
        for byte in bytes {
            if byte == 0x20 || byte == 0x09 { return true }
            if (byte | 0x20) == UInt8(ascii: "p"), (previous | 0x20) == UInt8(ascii: "t") { return true }
            if byte == UInt8(ascii: "/"), previous == UInt8(ascii: ":") || previous == UInt8(ascii: "/") { return true }
            previous = byte
        }
        return false
    }

    private static func quoted(_ s: String) -> String { "\"\(s)\"" }

    private static func fixed(_ url: String, scheme: String, dropping count: Int) -> String {
        scheme + "://" + url.dropFirst(count)
    }

    /// `herald check`'s notes for the typos cmark found: cmark gives the line of the block
    /// that holds a link, so the exact line is the first one from there that shows it.
    static func notes(
        _ typos: [(line: Int, destination: String, message: String)], body: Substring,
        firstLine: Int, path: String
    ) -> [SourceProblem] {
        guard !typos.isEmpty else { return [] }
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        return typos.map { typo in
            let start = max(0, min(typo.line - 1, lines.count))
            let offset = lines[start...].firstIndex { $0.contains(typo.destination) } ?? start
            return SourceProblem(path: path, line: firstLine + offset, message: "warning: " + typo.message)
        }
    }
}
