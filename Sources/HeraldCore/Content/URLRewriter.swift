import Foundation

/// Makes relative links absolute against a post's permalink. Feed readers and mail
/// clients show a post away from its site, where `images/a.png` or `/about/` lead nowhere.
struct URLRewriter: Sendable {
    let base: URL

    /// `reference` resolved against the permalink; URLs with a scheme (https:, mailto:, data:…)
    /// and anything unparseable come back unchanged.
    func absolute(_ reference: String) -> String {
        let trimmed = Whitespace.trimmed(reference)
        guard !trimmed.isEmpty, !Self.hasScheme(trimmed) else { return reference }
        // Authors write `images/封面 1.png`; URL(string:) wants it encoded first.
        let encoded = trimmed.addingPercentEncoding(withAllowedCharacters: Self.allowed) ?? trimmed
        return URL(string: encoded, relativeTo: base)?.absoluteString ?? reference
    }

    private static let allowed: CharacterSet = {
        var set = CharacterSet(charactersIn: Unicode.Scalar(0x21)...Unicode.Scalar(0x7E))
        set.remove(charactersIn: "\"<>\\^`{|}")
        return set
    }()

    static func hasScheme(_ s: String) -> Bool {
        var sawLetter = false
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): sawLetter = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
                guard sawLetter else { return false }
            case UInt8(ascii: ":"): return sawLetter
            default: return false
            }
        }
        return false
    }

    /// Attributes that hold a URL in the raw HTML authors put in posts.
    private static let urlAttributes: Set<String> = ["href", "src", "poster", "srcset"]

    /// Raw HTML with every `href`/`src`/`poster`/`srcset` value made absolute. A small tag
    /// scanner rather than a regular expression: quotes, `>` inside quoted values and
    /// comments would fool a pattern, and a wrong rewrite corrupts the post.
    func rewriteHTML(_ html: String) -> String {
        guard html.contains("=") else { return html }
        let s = Array(html.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        func copy(until end: Int) { out.append(contentsOf: s[i..<end]); i = end }
        while i < s.count {
            guard let lt = s[i...].firstIndex(of: "<") else { copy(until: s.count); break }
            copy(until: lt)
            if s[i...].starts(with: "<!--".unicodeScalars) {
                let close = Self.find("-->", in: s, from: i + 4).map { $0 + 3 } ?? s.count
                copy(until: close)
                continue
            }
            guard i + 1 < s.count, s[i + 1].properties.isAlphabetic else { copy(until: i + 1); continue }
            // Inside a tag: copy the name, then attribute by attribute.
            var j = i + 1
            while j < s.count, !s[j].properties.isWhitespace, s[j] != ">", s[j] != "/" { j += 1 }
            copy(until: j)
            while i < s.count, s[i] != ">" {
                if s[i].properties.isWhitespace || s[i] == "/" { copy(until: i + 1); continue }
                var n = i
                while n < s.count, !s[n].properties.isWhitespace, !"/>=".unicodeScalars.contains(s[n]) { n += 1 }
                if n == i { copy(until: i + 1); continue }
                let name = String(String.UnicodeScalarView(s[i..<n])).lowercased()
                copy(until: n)
                var k = i
                while k < s.count, s[k].properties.isWhitespace { k += 1 }
                guard k < s.count, s[k] == "=" else { continue }
                k += 1
                while k < s.count, s[k].properties.isWhitespace { k += 1 }
                copy(until: k)
                guard i < s.count else { break }
                let quote: Unicode.Scalar? = s[i] == "\"" || s[i] == "'" ? s[i] : nil
                let start = quote == nil ? i : i + 1
                var end = start
                while end < s.count, quote.map({ s[end] != $0 }) ?? (!s[end].properties.isWhitespace && s[end] != ">") { end += 1 }
                let value = String(String.UnicodeScalarView(s[start..<end]))
                if Self.urlAttributes.contains(name) {
                    let q = quote ?? "\""
                    out.append(q)
                    out.append(contentsOf: rewriteAttribute(name, value, quote: q).unicodeScalars)
                    out.append(q)
                    i = min(s.count, quote == nil ? end : end + 1)
                } else {
                    copy(until: min(s.count, quote == nil ? end : end + 1))
                }
            }
        }
        return String(out)
    }

    private func rewriteAttribute(_ name: String, _ value: String, quote: Unicode.Scalar) -> String {
        // Values are HTML-escaped: `&amp;` in a query must be `&` while resolving.
        let raw = value.replacingOccurrences(of: "&amp;", with: "&")
        let rewritten: String
        if name == "srcset" {
            rewritten = raw.split(separator: ",").map { candidate in
                var parts = candidate.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
                if !parts.isEmpty { parts[0] = absolute(parts[0]) }
                return parts.joined(separator: " ")
            }.joined(separator: ", ")
        } else {
            rewritten = absolute(raw)
        }
        return rewritten.replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: String(quote), with: quote == "\"" ? "&quot;" : "&#39;")
    }

    private static func find(_ needle: String, in s: [Unicode.Scalar], from: Int) -> Int? {
        let n = Array(needle.unicodeScalars)
        var i = from
        while i + n.count <= s.count {
            if s[i..<(i + n.count)].elementsEqual(n) { return i }
            i += 1
        }
        return nil
    }
}
