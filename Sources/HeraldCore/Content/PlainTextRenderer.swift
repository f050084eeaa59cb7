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
            return wrapped(inline(node.children), width: width)
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
            // Raw HTML blocks (comments such as <!--more-->, embeds) have no plain-text form.
            return []
        default:
            return blocks(node.children, width: width)
        }
    }

    private func wrapped(_ text: String, width: Int) -> [String] {
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
            out.append(padded.joined(separator: " | ").trimmingTrailingSpaces())
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
                if Self.isLineBreakTag(node.literal) { out += "\n" }
            case .image:
                let alt = Whitespace.collapsed(node.children.map(Self.flatText).joined())
                out += alt.isEmpty ? "[image]" : "[image: \(alt)]"
            case .link(let url):
                let text = inline(node.children)
                if text.isEmpty || Self.sameURL(text, url) {
                    out += url
                } else {
                    links.append(url)
                    out += "\(text)[\(links.count)]"
                }
            default:
                out += inline(node.children)
            }
        }
        return out
    }

    private static func firstCharacter(_ node: MarkdownNode) -> Character? {
        if let c = node.literal.first { return c }
        return node.children.lazy.compactMap(firstCharacter).first
    }

    /// `[https://x.org](https://x.org/)` says its URL already: no reference needed.
    private static func sameURL(_ text: String, _ url: String) -> Bool {
        func strip(_ s: String) -> Substring {
            var s = Substring(s.trimmingTrailingSpaces())
            if s.hasSuffix("/") { s = s.dropLast() }
            return s
        }
        return strip(text) == strip(url) || "mailto:" + text == url
    }

    static func isLineBreakTag(_ html: String) -> Bool {
        let tag = html.lowercased().filter { !$0.isWhitespace && $0 != "/" }
        return tag == "<br>"
    }
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
