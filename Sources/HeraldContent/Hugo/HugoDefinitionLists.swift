import CCmarkGFM

/// Goldmark's definition lists, on by default in Hugo (markup.goldmark.extensions.definitionList):
///
///     Term            Term
///     : Definition    (blank line)
///                     : Definition, a paragraph of its own
///
/// cmark-gfm has no such extension: it reads the first as one paragraph ("Term : Definition")
/// and the second as two. For a Hugo site those paragraphs are rebuilt, after parsing, as
/// `<dl>` blocks: each line before the first `: ` line is a `<dt>`, each `: ` line starts a
/// `<dd>` (lines after it without a colon continue it), and a `: ` paragraph after a blank
/// line is a `<dd>` holding that paragraph, its terms the lines of the paragraph before.
/// Like Goldmark, a list that follows a list continues it. The blocks are cmark custom
/// blocks, so cmark still renders what is inside them.
enum HugoDefinitionLists {
    /// Whether `markdown` has a line that starts, after blanks and `>`s, with `:` and a blank:
    /// without one there is no definition list, and the tree need not be walked (most posts).
    static func mayContain(_ markdown: Substring) -> Bool {
        MarkdownPrepass.any(UInt8(ascii: ":"), in: markdown) { bytes, at in
            guard at + 1 < bytes.count, bytes[at + 1] == 0x20 || bytes[at + 1] == 0x09 else { return false }
            var k = at
            while k > 0, bytes[k - 1] == 0x20 || bytes[k - 1] == 0x09 || bytes[k - 1] == UInt8(ascii: ">") { k -= 1 }
            return k == 0 || bytes[k - 1] == 0x0A
        }
    }

    /// The custom blocks a list is made of, known again by their opening tag (`Markdown`'s
    /// tree and the plain text read them as `definitionList`, `definitionTerm`, `definitionDetails`).
    enum Block: String {
        case list = "<dl>"
        case term = "<dt>"
        case details = "<dd>"

        var closing: String { "</" + rawValue.dropFirst() }

        init?(of node: OpaquePointer) {
            guard cmark_node_get_type(node) == CMARK_NODE_CUSTOM_BLOCK, let enter = cmark_node_get_on_enter(node) else { return nil }
            self.init(rawValue: String(cString: enter))
        }
    }

    /// Rebuilds every definition list under `root`; new nodes come from `mem` (the document's arena).
    static func convert(_ root: OpaquePointer, mem: UnsafeMutablePointer<cmark_mem>) {
        for paragraph in MarkdownPrepass.nodes(CMARK_NODE_PARAGRAPH, under: root) { rebuild(paragraph, mem: mem) }
    }

    private static func rebuild(_ paragraph: OpaquePointer, mem: UnsafeMutablePointer<cmark_mem>) {
        let lines = self.lines(of: paragraph)
        if let first = lines.first?.first, startsDefinition(first) {
            // `: ` after a blank line: a definition of its own, for the terms just before it.
            guard let previous = cmark_node_previous(paragraph) else { return }
            let list: OpaquePointer
            if Block(of: previous) == .list {
                list = previous
            } else if cmark_node_get_type(previous) == CMARK_NODE_PARAGRAPH {
                list = listContinued(before: previous, mem: mem)
                for line in self.lines(of: previous) { append(.term, line, to: list, mem: mem) }
                cmark_node_unlink(previous)
            } else {
                return
            }
            // Each `: ` line of it starts another such definition (Goldmark: a paragraph each).
            var groups: [[OpaquePointer]] = []
            for line in lines {
                if let head = line.first, startsDefinition(head) { groups.append([]) }
                if !groups.isEmpty { groups[groups.count - 1] += line }
            }
            for group in groups { append(.details, group, to: list, asParagraph: true, mem: mem) }
            cmark_node_unlink(paragraph)
            return
        }
        guard let firstDefinition = lines.firstIndex(where: { $0.first.map(startsDefinition) ?? false }), firstDefinition > 0
        else { return }
        let list = listContinued(before: paragraph, mem: mem)
        for line in lines[..<firstDefinition] { append(.term, line, to: list, mem: mem) }
        var definition: [OpaquePointer] = []
        for line in lines[firstDefinition...] {
            if let head = line.first, startsDefinition(head), !definition.isEmpty {
                append(.details, definition, to: list, mem: mem)
                definition = []
            }
            definition += line
        }
        append(.details, definition, to: list, mem: mem)
        cmark_node_unlink(paragraph)
    }

    /// The paragraph's inline nodes, line by line; each line but the last keeps its soft break.
    private static func lines(of paragraph: OpaquePointer) -> [[OpaquePointer]] {
        var lines: [[OpaquePointer]] = [[]]
        var cursor = cmark_node_first_child(paragraph)
        while let node = cursor {
            cursor = cmark_node_next(node)
            lines[lines.count - 1].append(node)
            if cmark_node_get_type(node) == CMARK_NODE_SOFTBREAK { lines.append([]) }
        }
        return lines.filter { !$0.isEmpty }
    }

    /// A line that starts with `:` and a blank, in its first text node.
    private static func startsDefinition(_ node: OpaquePointer) -> Bool {
        guard cmark_node_get_type(node) == CMARK_NODE_TEXT, let literal = cmark_node_get_literal(node) else { return false }
        return literal[0] == CChar(UInt8(ascii: ":")) && (literal[1] == 0x20 || literal[1] == 0x09)
    }

    private static func dropColon(_ node: OpaquePointer) {
        guard startsDefinition(node) else { return }
        let text = String(cString: cmark_node_get_literal(node)).dropFirst().drop { $0 == " " || $0 == "\t" }
        cmark_node_set_literal(node, String(text))
    }

    /// A `<dt>` or `<dd>` holding `nodes` (a line or lines), without the closing soft break;
    /// `asParagraph`: inside a paragraph of its own (a definition after a blank line).
    private static func append(
        _ kind: Block, _ nodes: [OpaquePointer], to list: OpaquePointer, asParagraph: Bool = false,
        mem: UnsafeMutablePointer<cmark_mem>
    ) {
        guard let item = block(kind, mem: mem), let first = nodes.first else { return }
        if kind == .details { dropColon(first) }
        var holder = item
        if asParagraph {
            guard let paragraph = cmark_node_new_with_mem(CMARK_NODE_PARAGRAPH, mem) else { return }
            cmark_node_append_child(item, paragraph)
            holder = paragraph
        }
        for node in nodes { cmark_node_append_child(holder, node) }
        if let last = cmark_node_last_child(holder), cmark_node_get_type(last) == CMARK_NODE_SOFTBREAK { cmark_node_unlink(last) }
        cmark_node_append_child(list, item)
    }

    /// The list just before `node` (Goldmark continues it), else a new one put there.
    private static func listContinued(before node: OpaquePointer, mem: UnsafeMutablePointer<cmark_mem>) -> OpaquePointer {
        if let previous = cmark_node_previous(node), Block(of: previous) == .list { return previous }
        let list = block(.list, mem: mem)!
        cmark_node_insert_before(node, list)
        return list
    }

    private static func block(_ kind: Block, mem: UnsafeMutablePointer<cmark_mem>) -> OpaquePointer? {
        guard let node = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, mem) else { return nil }
        cmark_node_set_on_enter(node, kind.rawValue)
        cmark_node_set_on_exit(node, kind.closing)
        return node
    }
}
