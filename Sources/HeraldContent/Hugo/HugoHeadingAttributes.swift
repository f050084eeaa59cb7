import CCmarkGFM

/// Goldmark's heading attributes, on by default in Hugo (markup.goldmark.parser.attribute.title):
/// `## Release notes {#notes .wide}` is a heading "Release notes" with an id and a class on the
/// site. cmark-gfm has no such syntax and shows the braces as text, so for a Hugo site they are
/// taken off the heading's end before anything is rendered. The attributes themselves are not
/// kept: the sanitizer drops ids and classes, and links to `#notes` point at the site's page.
enum HugoHeadingAttributes {
    /// Whether `markdown` could hold an attribute block at all: a line ending in one `}` (not a
    /// shortcode's `}}`). Most posts have none, and then the tree need not be walked.
    static func mayContain(_ markdown: Substring) -> Bool {
        MarkdownPrepass.any(UInt8(ascii: "}"), in: markdown) { bytes, at in
            guard at == 0 || bytes[at - 1] != UInt8(ascii: "}"), at + 1 >= bytes.count || bytes[at + 1] != UInt8(ascii: "}")
            else { return false }
            var k = at + 1
            while k < bytes.count, bytes[k] == 0x20 || bytes[k] == 0x09 { k += 1 }
            return k == bytes.count || bytes[k] == 0x0A || bytes[k] == 0x0D
        }
    }

    /// Takes a trailing attribute block off every heading under `root`.
    static func strip(_ root: OpaquePointer) {
        let headings = MarkdownPrepass.nodes(CMARK_NODE_HEADING, under: root)
        for heading in headings { stripEnd(of: heading) }
    }

    /// The heading's last text nodes read as one string (smart punctuation splits a quoted
    /// value into several); when it ends in an attribute block, the block and the blanks
    /// before it go, node by node from the end.
    private static func stripEnd(of heading: OpaquePointer) {
        var texts: [OpaquePointer] = []
        var cursor = cmark_node_last_child(heading)
        while let node = cursor, cmark_node_get_type(node) == CMARK_NODE_TEXT {
            texts.insert(node, at: 0)
            cursor = cmark_node_previous(node)
        }
        let literals = texts.map { String(cString: cmark_node_get_literal($0)) }
        let whole = literals.joined()
        guard let block = trailingBlock(whole) else { return }
        var cut =
            whole.unicodeScalars.count
            - whole.unicodeScalars.distance(
                from: whole.unicodeScalars.startIndex,
                to: block.unicodeScalars.startIndex)
        for (node, literal) in zip(texts, literals).reversed() where cut > 0 {
            let scalars = literal.unicodeScalars
            if scalars.count <= cut {
                cut -= scalars.count
                cmark_node_set_literal(node, "")
            } else {
                let kept = String(String.UnicodeScalarView(scalars.dropLast(cut)))
                cmark_node_set_literal(node, kept)
                cut = 0
            }
        }
    }

    /// The part of `text` from the blanks before a closing attribute block to its end, or nil.
    static func trailingBlock(_ text: String) -> Substring? {
        var end = text.endIndex
        while end > text.startIndex, text[text.index(before: end)] == " " || text[text.index(before: end)] == "\t" {
            end = text.index(before: end)
        }
        guard end > text.startIndex, text[text.index(before: end)] == "}",
            let open = text[..<end].lastIndex(of: "{"), isAttributes(text[text.index(after: open)..<text.index(before: end)])
        else { return nil }
        var start = open
        while start > text.startIndex, text[text.index(before: start)] == " " || text[text.index(before: start)] == "\t" {
            start = text.index(before: start)
        }
        return text[start...]
    }

    /// `#id`, `.class` and `name=value` (value bare or quoted, straight or curly as smart
    /// punctuation left it), separated by blanks; at least one.
    static func isAttributes(_ inner: Substring) -> Bool {
        let quotes: [Character: Character] = ["\"": "\"", "'": "'", "\u{201C}": "\u{201D}", "\u{2018}": "\u{2019}"]
        var i = inner.startIndex
        var count = 0
        func skipBlanks() { while i < inner.endIndex, inner[i] == " " || inner[i] == "\t" { i = inner.index(after: i) } }
        func bare() -> Bool {
            let start = i
            while i < inner.endIndex, !" \t{}\"'".contains(inner[i]) { i = inner.index(after: i) }
            return i > start
        }
        skipBlanks()
        while i < inner.endIndex {
            let first = inner[i]
            if first == "#" || first == "." {
                i = inner.index(after: i)
                guard bare() else { return false }
            } else {
                guard first.isLetter || first == "_" || first == ":" else { return false }
                while i < inner.endIndex, inner[i].isLetter || inner[i].isNumber || "_:.-".contains(inner[i]) {
                    i = inner.index(after: i)
                }
                guard i < inner.endIndex, inner[i] == "=" else { return false }
                i = inner.index(after: i)
                guard i < inner.endIndex else { return false }
                if let close = quotes[inner[i]] {
                    i = inner.index(after: i)
                    guard let end = inner[i...].firstIndex(of: close) else { return false }
                    i = inner.index(after: end)
                } else if !bare() {
                    return false
                }
            }
            count += 1
            guard i == inner.endIndex || inner[i] == " " || inner[i] == "\t" else { return false }
            skipBlanks()
        }
        return count > 0
    }
}
