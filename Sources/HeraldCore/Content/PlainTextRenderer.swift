/// Markdown → plain text for the text/plain part of digest mail, rendered from the AST so
/// structure survives: underlined or `#`-prefixed headings, bullets and numbers, `> `
/// quotes, indented code, `[image: alt]`, and links as numbered references `[1]` with
/// their URLs listed after the post. Wrapped at `width` display columns.
struct PlainTextRenderer {
    var width = 72
    private var links: [String] = []

    init(width: Int = 72) { self.width = width }

    /// The whole post, ending with a newline.
    mutating func render(_ document: MarkdownNode) -> String {
        links = []
        var lines = blocks(document.children, width: width)
        if !links.isEmpty {
            lines.append("")
            for (n, url) in links.enumerated() { lines.append("[\(n + 1)] \(url)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Text of every paragraph, heading, item and cell joined by spaces, without images,
    /// code blocks or link numbers: the raw material of an automatic summary.
    static func flatText(_ node: MarkdownNode) -> String {
        switch node.kind {
        case .codeBlock, .htmlBlock, .image, .thematicBreak: return ""
        case .text, .code: return node.literal
        case .softBreak, .lineBreak: return " "
        case .htmlInline: return isLineBreakTag(node.literal) ? " " : ""
        case .paragraph, .heading, .tableCell, .item, .blockQuote:
            return " " + node.children.map(flatText).joined() + " "
        default: return node.children.map(flatText).joined()
        }
    }

    // MARK: Blocks

    /// Blocks separated by blank lines, each already wrapped to `width`.
    private mutating func blocks(_ nodes: [MarkdownNode], width: Int, tight: Bool = false) -> [String] {
        var out: [String] = []
        for node in nodes {
            let lines = block(node, width: width)
            guard !lines.isEmpty else { continue }
            if !out.isEmpty, !tight { out.append("") }
            out += lines
        }
        return out
    }

    private mutating func block(_ node: MarkdownNode, width: Int) -> [String] {
        switch node.kind {
        case .paragraph:
            // `inline` first, then the static `wrapped`: calling a method on `self` with
            // `inline(…)` as its argument would keep a copy of self alive while inline
            // appends to `links`, copying the whole array on every link.
            let text = inline(node.children)
            return Self.wrapped(text, width: width)
        case .heading(let level):
            let text = Whitespace.collapsed(inline(node.children))
            let lines = TextWrapper(width: width).wrap(text)
            guard level <= 2 else { return lines.map { String(repeating: "#", count: level) + " " + $0 } }
            let rule = level == 1 ? "=" : "-"
            return lines + [String(repeating: rule, count: min(width, lines.map(DisplayWidth.of).max() ?? 0))]
        case .blockQuote:
            return blocks(node.children, width: max(width - 2, 20)).map { $0.isEmpty ? ">" : "> " + $0 }
        case .list(let ordered, let start, let tight):
            var out: [String] = []
            for (n, item) in node.children.enumerated() {
                let marker = ordered ? "\(start + n). " : "- "
                let indent = String(repeating: " ", count: marker.count)
                let body = blocks(item.children, width: max(width - marker.count, 20), tight: tight)
                if !out.isEmpty, !tight { out.append("") }
                for (i, line) in (body.isEmpty ? [""] : body).enumerated() {
                    out.append(i == 0 ? marker + line : (line.isEmpty ? "" : indent + line))
                }
            }
            return out
        case .codeBlock:
            var code = Substring(node.literal)
            while code.last == "\n" { code = code.dropLast() }
            return code.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "    " + $0 }
        case .thematicBreak:
            return ["* * *"]
        case .table:
            return table(node)
        case .htmlBlock:
            // Of raw HTML blocks only images have a plain-text form; comments such as
            // <!--more-->, embeds and layout tags have none.
            return Self.images(inHTML: node.literal)
        default:
            return blocks(node.children, width: width)
        }
    }

    private static func wrapped(_ text: String, width: Int) -> [String] {
        let wrapper = TextWrapper(width: width)
        return text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { wrapper.wrap(String($0)) }
    }

    /// Columns padded to their widest cell; tables are not wrapped (a wrapped row is unreadable).
    private mutating func table(_ node: MarkdownNode) -> [String] {
        let rows = node.children.map { row in
            (row.kind, row.children.map { Whitespace.collapsed(inline($0.children)) })
        }
        let columns = rows.map(\.1.count).max() ?? 0
        let widths = (0..<columns).map { c in rows.map { c < $0.1.count ? DisplayWidth.of($0.1[c]) : 0 }.max() ?? 0 }
        var out: [String] = []
        for (kind, cells) in rows {
            let padded = cells.enumerated().map { c, cell in
                cell + String(repeating: " ", count: widths[c] - DisplayWidth.of(cell))
            }
            out.append(Whitespace.trimmedEnd(padded.joined(separator: " | ")))
            if kind == .tableRow(header: true) {
                out.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "-+-"))
            }
        }
        return out
    }

    // MARK: Inlines

    /// Inline content as text; "\n" marks a hard break (a Markdown line break or `<br/>`).
    private mutating func inline(_ nodes: [MarkdownNode]) -> String {
        var out = ""
        // A raw `<a href>` arrives as its own node, then the text, then `</a>`.
        var anchor: (url: String, textStart: String.Index)?
        for (i, node) in nodes.enumerated() {
            switch node.kind {
            case .text, .code:
                out += node.literal
            case .softBreak:
                // Chinese lines joined by a source line break take no space between them,
                // and a line that follows a hard break (`<br/>` at the end) starts clean.
                guard let before = out.last, before != "\n" else { continue }
                let after = nodes[(i + 1)...].lazy.compactMap { Self.firstCharacter($0) }.first
                if !DisplayWidth.isWide(before) || !(after.map(DisplayWidth.isWide) ?? false) { out += " " }
            case .lineBreak:
                out += "\n"
            case .htmlInline:
                let tag = node.literal
                if Self.isLineBreakTag(tag) {
                    out += "\n"
                } else if tag.lowercased().hasPrefix("</a"), let open = anchor {
                    let text = String(out[open.textStart...])
                    out.removeSubrange(open.textStart...)
                    out += reference(text: text, url: open.url)
                    anchor = nil
                } else if let href = HTMLTagScanner.attributes(in: tag).first(where: { $0.tag == "a" && $0.name == "href" }) {
                    anchor = (HTMLTagScanner.decoded(href.value), out.endIndex)
                } else {
                    out += Self.images(inHTML: tag).joined(separator: " ")
                }
            case .image:
                out += Self.imageLabel(alt: Whitespace.collapsed(node.children.map(Self.flatText).joined()))
            case .link(let url):
                let text = inline(node.children)
                out += reference(text: text, url: url)
            case .strikethrough:
                out += "~~" + inline(node.children) + "~~"
            default:
                out += inline(node.children)
            }
        }
        return out
    }

    /// `text[n]`, with the URL listed under the post; a link that shows its URL (or its
    /// address, for mailto:) needs no reference.
    private mutating func reference(text: String, url: String) -> String {
        if text.isEmpty { return url }
        if Self.sameURL(text, url) || "mailto:" + text == url { return text }
        links.append(url)
        return "\(text)[\(links.count)]"
    }

    /// `[image: alt]` for each `<img>` in raw HTML.
    private static func images(inHTML html: String) -> [String] {
        let attributes = HTMLTagScanner.attributes(in: html).filter { $0.tag == "img" }
        return Set(attributes.map(\.tagIndex)).sorted().map { index in
            let alt = attributes.first { $0.tagIndex == index && $0.name == "alt" }.map { HTMLTagScanner.decoded($0.value) } ?? ""
            return imageLabel(alt: Whitespace.collapsed(alt))
        }
    }

    private static func imageLabel(alt: String) -> String {
        alt.isEmpty ? "[image]" : "[image: \(alt)]"
    }

    private static func firstCharacter(_ node: MarkdownNode) -> Character? {
        if let c = node.literal.first { return c }
        return node.children.lazy.compactMap(firstCharacter).first
    }

    /// `[https://x.org](https://x.org/)` says its URL already: no reference needed.
    private static func sameURL(_ text: String, _ url: String) -> Bool {
        func strip(_ s: String) -> Substring {
            var s = Substring(Whitespace.trimmedEnd(s))
            if s.hasSuffix("/") { s = s.dropLast() }
            return s
        }
        return strip(text) == strip(url)
    }

    static func isLineBreakTag(_ html: String) -> Bool {
        let tag = html.lowercased().filter { !$0.isWhitespace && $0 != "/" }
        return tag == "<br>"
    }
}
