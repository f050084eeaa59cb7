import Foundation
import HeraldBase

/// Walks the start tags of a raw HTML fragment attribute by attribute. A small scanner
/// rather than a regular expression: quotes, `>` inside quoted values and comments
/// would fool a pattern, and a wrong rewrite corrupts the post.
enum HTMLTagScanner {
    struct Attribute {
        /// Which start tag of the fragment (0, 1, …) and its lowercased name.
        let tagIndex: Int
        let tag: String
        /// Lowercased attribute name, and the value as written (entities not decoded).
        let name: String
        let value: String
    }

    /// `html` with each attribute value replaced by what `replace` returns (nil keeps
    /// it). Replaced values are written in the original quotes, or double quotes.
    static func rewrite(_ html: String, _ replace: (Attribute) -> String?) -> String {
        guard html.contains(ascii: "<") else { return html }
        let s = Array(html.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        var tagIndex = 0
        func copy(until end: Int) {
            out.append(contentsOf: s[i..<end])
            i = end
        }
        func text(_ range: Range<Int>) -> String { String(String.UnicodeScalarView(s[range])) }
        while i < s.count {
            guard let lt = s[i...].firstIndex(of: "<") else {
                copy(until: s.count)
                break
            }
            copy(until: lt)
            if s[i...].starts(with: "<!--".unicodeScalars) {
                let close = find("-->", in: s, from: i + 4).map { $0 + 3 } ?? s.count
                copy(until: close)
                continue
            }
            guard i + 1 < s.count, s[i + 1].properties.isAlphabetic else {
                copy(until: i + 1)
                continue
            }
            // Inside a start tag: its name, then attribute by attribute up to `>`.
            var j = i + 1
            while j < s.count, !s[j].properties.isWhitespace, s[j] != ">", s[j] != "/" { j += 1 }
            let tag = text((i + 1)..<j).lowercased()
            copy(until: j)
            while i < s.count, s[i] != ">" {
                if s[i].properties.isWhitespace || s[i] == "/" {
                    copy(until: i + 1)
                    continue
                }
                var n = i
                while n < s.count, !s[n].properties.isWhitespace, !"/>=".unicodeScalars.contains(s[n]) { n += 1 }
                if n == i {
                    copy(until: i + 1)
                    continue
                }
                let name = text(i..<n).lowercased()
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
                let after = min(s.count, quote == nil ? end : end + 1)
                let attribute = Attribute(tagIndex: tagIndex, tag: tag, name: name, value: text(start..<end))
                if let replacement = replace(attribute) {
                    let q = quote ?? "\""
                    out.append(q)
                    out.append(contentsOf: HTMLEscaping.attribute(replacement, quote: Character(q)).unicodeScalars)
                    out.append(q)
                    i = after
                } else {
                    copy(until: after)
                }
            }
            tagIndex += 1
        }
        return String(out)
    }

    /// Every attribute of every start tag, in order.
    static func attributes(in html: String) -> [Attribute] {
        var found: [Attribute] = []
        _ = rewrite(html) {
            found.append($0)
            return nil
        }
        return found
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
