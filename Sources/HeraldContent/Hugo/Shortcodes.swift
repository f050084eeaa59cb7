import Foundation
import HeraldBase

#if canImport(Glibc)
    import Glibc
#endif

/// Hugo shortcodes (`{{< name args >}}`, `{{% name %}}`, paired or not) turned into the
/// Markdown or HTML they stand for, before the body reaches cmark: a feed or a mail must
/// never show `{{< … >}}`. The built-ins with a static meaning are rendered (`figure`,
/// `ref`/`relref`, `highlight`, `youtube`/`vimeo` as links, `details`); any other is
/// dropped, its inner text kept, and named with its line for `herald check`.
struct Shortcodes {
    /// Resolves a `ref` target (`post.md`, `/blog/post`, `#anchor` kept) to a permalink.
    let resolve: (String) -> String?

    struct Expanded {
        let markdown: String
        /// `herald check`'s notes: unknown shortcodes and unresolved refs, each with its line.
        let notes: [(line: Int, message: String)]
        /// The HTML tags the shortcodes wrote (not those of their inner text): on Hugo's page a
        /// shortcode's HTML is there even where the site leaves a post's own raw HTML out.
        var tags: Set<String> = []
        /// A `ref`/`relref` was resolved: the output depends on another file, not only this one.
        var readsOtherFiles = false
    }

    /// Every post's body is asked, so this jumps from `{` to `{` with libc's memchr (the
    /// standard library's generic `firstRange(of:)` made feed builds many times slower).
    static func mayContain(_ body: Substring) -> Bool {
        func search(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            guard let base = bytes.baseAddress else { return false }
            var offset = 0
            while offset + 3 <= bytes.count,
                let hit = memchr(base + offset, Int32(UInt8(ascii: "{")), bytes.count - offset - 2)
            {
                let i = base.distance(to: UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)))
                if base[i + 1] == UInt8(ascii: "{"), base[i + 2] == UInt8(ascii: "<") || base[i + 2] == UInt8(ascii: "%") {
                    return true
                }
                offset = i + 1
            }
            return false
        }
        if let found = body.utf8.withContiguousStorageIfAvailable(search) { return found }
        return Array(body.utf8).withUnsafeBufferPointer(search)
    }

    /// The first occurrence of `needle` (ASCII) in `s`, by bytes.
    private static func find(_ needle: String, in s: Substring) -> Range<Substring.Index>? {
        let n = Array(needle.utf8)
        let utf8 = s.utf8
        var i = utf8.startIndex
        while i != utf8.endIndex {
            if utf8[i] == n[0] {
                var j = i
                var k = 0
                while k < n.count, j != utf8.endIndex, utf8[j] == n[k] {
                    j = utf8.index(after: j)
                    k += 1
                }
                if k == n.count { return i..<j }
            }
            i = utf8.index(after: i)
        }
        return nil
    }

    /// `firstLine`: the file line `body` starts on.
    func expand(_ body: Substring, firstLine: Int) -> Expanded {
        var out = ""
        var notes: [(Int, String)] = []
        var tags: Set<String> = []
        var readsOtherFiles = false
        var rest = body
        var line = firstLine
        while let tag = Self.nextTag(in: rest) {
            out += rest[..<tag.range.lowerBound]
            line += rest[..<tag.range.lowerBound].utf8.count { $0 == 0x0A }
            rest = rest[tag.range.upperBound...]
            let tagLines = body[tag.range].utf8.count { $0 == 0x0A }
            if tag.isComment {
                // `{{</* x */>}}` is Hugo's way to show a shortcode as text.
                out += tag.open + " " + tag.inner + " " + tag.close
                line += tagLines
                continue
            }
            if tag.closing {
                line += tagLines
                continue
            } // a stray closing tag
            var inner: Substring?
            var innerText: String?
            if !tag.selfClosing, let end = Self.closing(of: tag.name, in: rest) {
                inner = rest[..<end.lowerBound]
                rest = rest[end.upperBound...]
                innerText = String(inner!)
                // Shortcodes inside another are expanded too, except in code.
                if tag.name != "highlight", Self.mayContain(inner!) {
                    let nested = expand(inner!, firstLine: line + tagLines)
                    innerText = nested.markdown
                    notes += nested.notes
                    tags.formUnion(nested.tags)
                    readsOtherFiles = readsOtherFiles || nested.readsOtherFiles
                }
            }
            let (text, note) = render(tag, inner: innerText)
            if tag.name == "ref" || tag.name == "relref" { readsOtherFiles = true }
            if tag.name == "figure" || tag.name == "details" {
                tags.formUnion(Self.htmlTags(in: innerText.map { text.replacingOccurrences(of: $0, with: "") } ?? text))
            }
            out += text
            if let note { notes.append((line, note)) }
            line += tagLines + (inner.map { $0.utf8.count { $0 == 0x0A } } ?? 0)
        }
        out += rest
        return Expanded(markdown: out, notes: notes, tags: tags, readsOtherFiles: readsOtherFiles)
    }

    /// Every `<…>` in `html`, as written.
    static func htmlTags(in html: String) -> Set<String> {
        var tags: Set<String> = []
        var rest = html[...]
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            tags.insert(String(rest[open...close]))
            rest = rest[rest.index(after: close)...]
        }
        return tags
    }

    private func render(_ tag: Tag, inner: String?) -> (String, String?) {
        let a = tag.arguments
        switch tag.name {
        case "figure":
            let src = Self.attribute(a["src"] ?? "")
            var img = "<img src=\"\(src)\""
            if let alt = a["alt"] ?? a["caption"] ?? a["title"] { img += " alt=\"\(Self.attribute(Self.stripped(alt)))\"" }
            img += ">"
            if let link = a["link"] { img = "<a href=\"\(Self.attribute(link))\">\(img)</a>" }
            var caption = ""
            if let title = a["title"] { caption += "<h4>\(Self.text(title))</h4>" }
            if let text = a["caption"] { caption += "<p>\(Self.text(text))</p>" }
            let figure = "<figure>\(img)" + (caption.isEmpty ? "" : "<figcaption>\(caption)</figcaption>") + "</figure>"
            return ("\n\n" + figure + "\n\n", nil)
        case "ref", "relref":
            let target = a["path"] ?? a["0"] ?? ""
            if let link = resolve(target) { return (link, nil) }
            return ("", "\(tag.name) \"\(target)\" names no page Herald can find: the link is left empty")
        case "highlight":
            let code = (inner ?? "").trimmingCharacters(in: .newlines)
            let fence = code.contains("```") ? "~~~~" : "```"
            return ("\n\n\(fence)\(a["0"] ?? "")\n\(code)\n\(fence)\n\n", nil)
        case "youtube":
            let id = a["id"] ?? a["0"] ?? ""
            return ("\n\n[\(Self.markdownText(a["title"] ?? "YouTube video"))](https://www.youtube.com/watch?v=\(id))\n\n", nil)
        case "vimeo":
            let id = a["id"] ?? a["0"] ?? ""
            return ("\n\n[\(Self.markdownText(a["title"] ?? "Vimeo video"))](https://vimeo.com/\(id))\n\n", nil)
        case "details":
            let summary = a["summary"] ?? "Details"
            return ("\n\n<details><summary>\(Self.text(summary))</summary>\n\n\(inner ?? "")\n\n</details>\n\n", nil)
        default:
            return (
                (inner.map { "\n\n" + $0 + "\n\n" }) ?? "",
                "shortcode \"\(tag.name)\" is not one Herald can render: it is left out of feeds and mail"
                    + (inner == nil ? "" : " (its inner text is kept)")
            )
        }
    }

    // MARK: Parsing

    struct Tag {
        let range: Range<Substring.Index>
        let open: String, close: String
        let inner: String
        let isComment: Bool
        let closing: Bool
        let selfClosing: Bool
        let name: String
        /// Named arguments by name, positional ones by index ("0", "1").
        let arguments: [String: String]
    }

    private static func nextTag(in s: Substring) -> Tag? {
        var search = s[...]
        while let start = find("{{", in: search) {
            let after = s.utf8.index(start.upperBound, offsetBy: 0)
            guard after < s.endIndex, s.utf8[after] == UInt8(ascii: "<") || s.utf8[after] == UInt8(ascii: "%") else {
                search = s[start.upperBound...]
                continue
            }
            let kind = s.utf8[after]
            let open = kind == UInt8(ascii: "<") ? "{{<" : "{{%"
            let close = kind == UInt8(ascii: "<") ? ">}}" : "%}}"
            let contentStart = s.utf8.index(after: after)
            guard let end = find(close, in: s[contentStart...]) else { return nil }
            var inner = s[contentStart..<end.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
            let range = start.lowerBound..<end.upperBound
            if inner.hasPrefix("/*"), inner.hasSuffix("*/") {
                inner = String(inner.dropFirst(2).dropLast(2)).trimmingCharacters(in: .whitespaces)
                return Tag(
                    range: range, open: open, close: close, inner: inner, isComment: true, closing: false,
                    selfClosing: true, name: "", arguments: [:])
            }
            let closing = inner.hasPrefix("/")
            if closing { inner.removeFirst() }
            let selfClosing = inner.hasSuffix("/")
            if selfClosing { inner.removeLast() }
            let words = Self.words(inner)
            var arguments: [String: String] = [:]
            var position = 0
            for word in words.dropFirst() {
                if let (key, value) = word.named {
                    arguments[key] = value
                } else {
                    arguments[String(position)] = word.value
                    position += 1
                }
            }
            return Tag(
                range: range, open: open, close: close, inner: inner, isComment: false, closing: closing,
                selfClosing: selfClosing, name: words.first?.value ?? "", arguments: arguments)
        }
        return nil
    }

    /// The `{{< /name >}}` (or `{{% /name %}}`) that closes `name` in `s`.
    private static func closing(of name: String, in s: Substring) -> Range<Substring.Index>? {
        var search = s[...]
        while let tag = nextTag(in: search) {
            if tag.closing, tag.name == name { return tag.range }
            search = s[tag.range.upperBound...]
        }
        return nil
    }

    private struct Word {
        var value: String
        var named: (String, String)?
    }

    /// Hugo's argument syntax: words, `"quoted"` or `` `raw` `` strings, `key=value`.
    private static func words(_ s: String) -> [Word] {
        var words: [Word] = []
        var chars = Substring(s)
        func quoted(_ q: Character) -> String {
            chars.removeFirst()
            var value = ""
            while let c = chars.first {
                chars.removeFirst()
                if c == "\\", q == "\"", let next = chars.first {
                    value.append(next)
                    chars.removeFirst()
                    continue
                }
                if c == q { break }
                value.append(c)
            }
            return value
        }
        while true {
            chars = chars.drop { $0.isWhitespace }
            guard let first = chars.first else { break }
            if first == "\"" || first == "`" {
                words.append(Word(value: quoted(first)))
                continue
            }
            var token = ""
            while let c = chars.first, !c.isWhitespace, c != "=" {
                token.append(c)
                chars.removeFirst()
            }
            if chars.first == "=" {
                chars.removeFirst()
                let value: String
                if let q = chars.first, q == "\"" || q == "`" {
                    value = quoted(q)
                } else {
                    var v = ""
                    while let c = chars.first, !c.isWhitespace {
                        v.append(c)
                        chars.removeFirst()
                    }
                    value = v
                }
                words.append(Word(value: token, named: (token, value)))
            } else {
                words.append(Word(value: token))
            }
        }
        return words
    }

    private static func attribute(_ s: String) -> String { HTMLEscaping.attribute(s) }

    private static func text(_ s: String) -> String { HTMLEscaping.text(s) }

    private static func stripped(_ s: String) -> String { s.replacingOccurrences(of: "\n", with: " ") }

    private static func markdownText(_ s: String) -> String {
        s.replacingOccurrences(of: "[", with: "\\[").replacingOccurrences(of: "]", with: "\\]")
    }
}
