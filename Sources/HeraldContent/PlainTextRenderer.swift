import HeraldBase

/// Markdown → plain text for the text/plain part of digest mail, rendered from the AST so
/// structure survives: underlined or `#`-prefixed headings, bullets and numbers, `> `
/// quotes, indented code, `[image: alt]`, and links as numbered references `[1]` with
/// their URLs listed after the post; tables as a grid, or `Header: value` blocks when the
/// grid is too wide; the text of raw HTML blocks. Wrapped at `width` display columns.
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

    /// A whole HTML document (a feed entry's content) as the text of a raw HTML block, with
    /// its links listed after it; ends with a newline.
    mutating func render(html: String) -> String {
        links = []
        var lines = htmlBlock(html, width: width)
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
        case .definitionList: return node.children.map(flatText).joined(separator: " ")
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
            return table(node, width: width)
        case .htmlBlock:
            return htmlBlock(node.literal, width: width)
        case .definitionList:
            // A term on its line, each definition under it indented, as a reader writes them.
            var out: [String] = []
            for child in node.children {
                if child.kind == .definitionTerm {
                    out += Self.wrapped(inline(child.children), width: width)
                } else {
                    let inner = max(width - 4, 20)
                    let isBlocks = child.children.first.map { $0.kind == .paragraph } ?? false
                    let lines = isBlocks ? blocks(child.children, width: inner) : Self.wrapped(inline(child.children), width: inner)
                    out += lines.map { $0.isEmpty ? "" : "    " + $0 }
                }
            }
            return out
        default:
            return blocks(node.children, width: width)
        }
    }

    private static func wrapped(_ text: String, width: Int) -> [String] {
        let wrapper = TextWrapper(width: width)
        return text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { wrapper.wrap(String($0)) }
    }

    /// A table whose grid fits `width` keeps it: columns padded to their widest cell, the
    /// header underlined. A wider one would be wrapped into nonsense by the mail client, so
    /// each row becomes a block of `Header: value` lines, values wrapped beside their
    /// labels, rows separated by blank lines.
    private mutating func table(_ node: MarkdownNode, width: Int) -> [String] {
        // Every cell rendered once, in document order: link numbers are the same either way.
        let rows = node.children.map { row in
            TableRow(header: row.kind == .tableRow(header: true), cells: row.children.map { inline($0.children) })
        }
        return Self.grid(rows, width: width) ?? Self.rowBlocks(rows, width: width)
    }

    private struct TableRow {
        var header: Bool
        /// Inline text of each cell; "\n" marks a `<br>`.
        var cells: [String]
    }

    /// The aligned grid, or nil when its rows would be wider than `width`.
    private static func grid(_ rows: [TableRow], width: Int) -> [String]? {
        let rows = rows.map { TableRow(header: $0.header, cells: $0.cells.map(Whitespace.collapsed)) }
        let columns = rows.map(\.cells.count).max() ?? 0
        let widths = (0..<columns).map { c in rows.map { c < $0.cells.count ? DisplayWidth.of($0.cells[c]) : 0 }.max() ?? 0 }
        guard widths.reduce(0, +) + 3 * max(columns - 1, 0) <= width else { return nil }
        var out: [String] = []
        for row in rows {
            let padded = row.cells.enumerated().map { c, cell in
                cell + String(repeating: " ", count: widths[c] - DisplayWidth.of(cell))
            }
            out.append(Whitespace.trimmedEnd(padded.joined(separator: " | ")))
            if row.header {
                out.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "-+-"))
            }
        }
        return out
    }

    /// One block per body row, a `Header: value` field per cell. Values line up after the
    /// widest label; when labels take more than a third of the width, each value goes
    /// under its label instead, indented two columns.
    private static func rowBlocks(_ rows: [TableRow], width: Int) -> [String] {
        let labels = rows.first(where: \.header)?.cells.map(Whitespace.collapsed) ?? []
        let body = rows.filter { !$0.header }
        guard !body.isEmpty else { return labels.flatMap { TextWrapper(width: width).wrap($0) } }
        let labelWidth = labels.map(DisplayWidth.of).max() ?? 0
        let beside = labelWidth <= width / 3
        var out: [String] = []
        for row in body {
            if !out.isEmpty { out.append("") }
            for (c, value) in row.cells.enumerated() {
                let label = c < labels.count ? labels[c] : ""
                if beside {
                    let indent = labelWidth == 0 ? 0 : labelWidth + 2
                    let head = label.isEmpty ? "" : label + ":" + String(repeating: " ", count: indent - DisplayWidth.of(label) - 1)
                    out += field(head: head, value: value, indent: indent, width: width)
                } else {
                    let heads = label.isEmpty ? [] : TextWrapper(width: width).wrap(label + ":")
                    out += heads + field(head: "", value: value, indent: 2, width: width)
                }
            }
        }
        return out
    }

    /// `head` then the value wrapped to the columns after `indent`, continuation lines
    /// indented. A token wider than that space (a long URL) stands alone at the margin,
    /// as the wrapper leaves it, rather than sticking out past `width`.
    private static func field(head: String, value: String, indent: Int, width: Int) -> [String] {
        let pieces = value.split(separator: "\n").map { Whitespace.collapsed(String($0)) }.filter { !$0.isEmpty }
        let lines = pieces.flatMap { TextWrapper(width: max(width - indent, 1)).wrap($0) }
        let margin = String(repeating: " ", count: indent)
        let label = Whitespace.trimmedEnd(head)
        guard !lines.isEmpty else { return label.isEmpty ? [] : [label] }
        var out: [String] = []
        for (i, line) in lines.enumerated() {
            if indent + DisplayWidth.of(line) <= width {
                out.append((i == 0 && !head.isEmpty ? head : margin) + line)
            } else {
                if i == 0, !label.isEmpty { out.append(label) }
                out.append(line)
            }
        }
        return out
    }

    // MARK: Raw HTML

    /// The text of a raw HTML block as a browser shows it: paragraphs for block elements,
    /// `<br>` line breaks, `[image: alt]`, links as references. What the mail's HTML part
    /// drops (scripts, styles, forms, embeds) is dropped here too; a comment such as
    /// <!--more--> gives nothing.
    private mutating func htmlBlock(_ html: String, width: Int) -> [String] {
        var paragraphs: [String] = []
        var current = ""
        htmlText(HTMLTree.parse(html), paragraphs: &paragraphs, current: &current)
        Self.endParagraph(&paragraphs, &current)
        var out: [String] = []
        for paragraph in paragraphs {
            if !out.isEmpty { out.append("") }
            out += Self.wrapped(paragraph, width: width)
        }
        return out
    }

    /// Elements that start and end a paragraph of their own.
    private static let htmlBlockElements: Set<String> = [
        "address", "article", "aside", "blockquote", "caption", "center", "dd", "details", "dialog", "div", "dl",
        "dt", "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
        "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tr", "ul",
    ]

    /// Appends text to `current` ("\n" for a line break) and ends a paragraph at each block element.
    private mutating func htmlText(_ nodes: [HTMLNode], paragraphs: inout [String], current: inout String) {
        for node in nodes {
            switch node {
            case .text(let text):
                // Whitespace collapses when the paragraph ends; source line breaks are marked
                // apart from spaces, since between Chinese characters they take no space.
                current += text.map { $0.isNewline ? Self.sourceBreak : $0.isWhitespace ? " " : $0 }
            case .element(let name, let attributes, let children):
                if HTMLSanitizer.droppedElements.contains(name) {
                    // libxml2 nests what follows an HTML5 void element it does not know inside it.
                    if HTMLSanitizer.voidElements.contains(name) {
                        htmlText(children, paragraphs: &paragraphs, current: &current)
                    }
                    continue
                }
                let value = { (key: String) in attributes.first { $0.name == key }?.value }
                switch name {
                case "br":
                    current += "\n"
                case "img":
                    current += "\n" + Self.imageLabel(alt: Whitespace.collapsed(value("alt") ?? "")) + "\n"
                    htmlText(children, paragraphs: &paragraphs, current: &current)
                case "td", "th":
                    current += " "
                    htmlText(children, paragraphs: &paragraphs, current: &current)
                    current += " "
                case "a":
                    let mark = (paragraphs: paragraphs.count, offset: current.utf8.count)
                    htmlText(children, paragraphs: &paragraphs, current: &current)
                    // A reference only for a link a reader can follow, and only when the
                    // link did not span paragraphs.
                    guard let url = value("href").map(Whitespace.trimmed), Self.followable(url),
                        paragraphs.count == mark.paragraphs
                    else { continue }
                    let start = current.utf8.index(current.startIndex, offsetBy: mark.offset)
                    let inner = String(current[start...])
                    // Spaces at the ends of the link text stay outside the reference.
                    let before = inner.first?.isWhitespace == true ? " " : ""
                    let after = inner.last?.isWhitespace == true ? " " : ""
                    current = String(current[..<start]) + before + reference(text: Self.collapsed(inner), url: url) + after
                default:
                    let block = Self.htmlBlockElements.contains(name)
                    if block { Self.endParagraph(&paragraphs, &current) }
                    htmlText(children, paragraphs: &paragraphs, current: &current)
                    if block { Self.endParagraph(&paragraphs, &current) }
                }
            }
        }
    }

    /// `current` as a paragraph, whitespace collapsed within each of its lines.
    private static func endParagraph(_ paragraphs: inout [String], _ current: inout String) {
        let lines = current.split(separator: "\n").map(collapsed).filter { !$0.isEmpty }
        if !lines.isEmpty { paragraphs.append(lines.joined(separator: "\n")) }
        current = ""
    }

    /// A line break in the HTML source (not a `<br>`, which is "\n").
    private static let sourceBreak: Character = "\u{2028}"

    /// Runs of whitespace as one space, ends trimmed; a run holding a source line break
    /// between two wide characters disappears, as soft breaks do in Markdown paragraphs.
    private static func collapsed(_ line: some StringProtocol) -> String {
        var out = ""
        var gap: Character?
        for ch in line {
            if ch.isWhitespace {
                if gap != sourceBreak { gap = ch == sourceBreak ? sourceBreak : " " }
                continue
            }
            if let g = gap, let last = out.last, g == " " || !DisplayWidth.isWide(last) || !DisplayWidth.isWide(ch) {
                out.append(" ")
            }
            gap = nil
            out.append(ch)
        }
        return out
    }

    private static func followable(_ url: String) -> Bool {
        let lower = url.lowercased()
        return lower.hasPrefix("https://") || lower.hasPrefix("http://") || lower.hasPrefix("mailto:")
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
                    anchor = (HTMLEntities.decoded(href.value), out.endIndex)
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
            let alt = attributes.first { $0.tagIndex == index && $0.name == "alt" }.map { HTMLEntities.decoded($0.value) } ?? ""
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
