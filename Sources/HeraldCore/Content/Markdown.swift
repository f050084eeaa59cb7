import CCmarkGFM
import Foundation

/// cmark-gfm, the only place in Herald that holds its pointers. Each call parses, edits
/// the AST (relative URLs made absolute), renders HTML and hands back the HTML and the
/// document, which becomes a Swift tree when first asked for; the parser is freed before
/// the call returns, the C tree with the last copy of the result.
enum Markdown {
    /// Raw HTML is kept (posts embed `<br/>`, `<img>`, iframes): the authors are the
    /// publication's own editors, and feed readers sanitize on their side.
    static let options = CMARK_OPT_UNSAFE
    static let extensionNames = ["table", "strikethrough", "autolink"]
    /// Deeper nesting than this is flattened in the Swift tree (the HTML keeps it): a
    /// hostile `>>>>…` post must not overflow a worker thread's stack.
    static let maxDepth = 100

    /// Registration mutates a global list, so it runs exactly once (a static let is
    /// initialized once even when the first calls come from two threads).
    private static let registered: Void = cmark_gfm_core_extensions_ensure_registered()

    /// cmark-gfm keeps the inline parser's trigger characters in one process-wide table:
    /// each parser adds its extensions' characters (`~` for strikethrough, `:` and `w` for
    /// autolinks) when its inline phase, inside `cmark_parser_finish`, starts, and removes
    /// them when it ends. A parser finishing on another thread thus switched `~~…~~` off
    /// in the middle of this one (a table cell came out struck through in one build and
    /// not in the next). Block parsing, the URL edits and the HTML rendering stay parallel.
    private static let inlinePhase = Locked(())

    struct Rendered: Sendable {
        let html: String
        private let tree: Tree

        fileprivate init(html: String, tree: Tree) {
            self.html = html
            self.tree = tree
        }

        /// The document as a Swift tree, converted from the C tree on first use: a feed of
        /// posts whose summary is in their front matter never needs it, and converting was
        /// a fifth of rendering such a post.
        var document: MarkdownNode { tree.document }
    }

    /// One C tree, owned: converted at most once, freed in `deinit`. `@unchecked Sendable`
    /// because the tree is read only under `converted`'s lock, and never changed after
    /// `render` hands it over.
    fileprivate final class Tree: @unchecked Sendable {
        private let root: OpaquePointer?
        private let converted = Locked<MarkdownNode?>(nil)

        init(_ root: OpaquePointer?) { self.root = root }

        static var empty: Tree { Tree(nil) }

        var document: MarkdownNode {
            converted.withLock { node in
                if let node { return node }
                let made = root.map { Markdown.convert($0, depth: 0) } ?? MarkdownNode(kind: .document)
                node = made
                return made
            }
        }

        deinit { if let root { cmark_node_free(root) } }
    }

    /// Parses `markdown`, rewrites link, image and raw HTML URLs with `rewriter`, and renders.
    static func render(_ markdown: Substring, rewriter: URLRewriter?, html wantHTML: Bool = true) -> Rendered {
        _ = registered
        guard let parser = cmark_parser_new(options) else { return Rendered(html: "", tree: .empty) }
        defer { cmark_parser_free(parser) }
        for name in extensionNames {
            if let ext = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, ext) }
        }
        var source = markdown
        source.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { cmark_parser_feed(parser, $0.baseAddress, $0.count) }
        }
        guard let root = inlinePhase.withLock({ _ in cmark_parser_finish(parser) }) else {
            return Rendered(html: "", tree: .empty)
        }
        // Owned from here on: freed when the last Rendered goes.
        let tree = Tree(root)

        if let rewriter { rewriteURLs(root, with: rewriter) }
        var html = ""
        if wantHTML, let rendered = cmark_render_html(root, options, cmark_parser_get_syntax_extensions(parser)) {
            html = String(cString: rendered)
            free(rendered)
        }
        return Rendered(html: html, tree: tree)
    }

    /// Makes link, image and raw HTML URLs absolute in the C tree, so the HTML rendered
    /// afterwards and the Swift tree both carry them. Iterative: nesting depth is the author's.
    private static func rewriteURLs(_ root: OpaquePointer, with rewriter: URLRewriter) {
        guard let iterator = cmark_iter_new(root) else { return }
        defer { cmark_iter_free(iterator) }
        while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(node) {
            case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
                let url = string(cmark_node_get_url(node))
                let absolute = rewriter.absolute(url)
                if absolute != url { cmark_node_set_url(node, absolute) }
            case CMARK_NODE_HTML_BLOCK, CMARK_NODE_HTML_INLINE:
                let literal = string(cmark_node_get_literal(node))
                let rewritten = rewriter.rewriteHTML(literal)
                if rewritten != literal { cmark_node_set_literal(node, rewritten) }
            default:
                break
            }
        }
    }

    private static func convert(_ node: OpaquePointer, depth: Int) -> MarkdownNode {
        var result = MarkdownNode(kind: kind(of: node))
        switch result.kind {
        case .text, .code, .codeBlock, .htmlBlock, .htmlInline:
            result.literal = string(cmark_node_get_literal(node))
        default:
            break
        }
        guard depth < maxDepth else { return result }
        var child = cmark_node_first_child(node)
        while let c = child {
            result.children.append(convert(c, depth: depth + 1))
            child = cmark_node_next(c)
        }
        return result
    }

    private static func kind(of node: OpaquePointer) -> MarkdownNode.Kind {
        switch cmark_node_get_type(node) {
        case CMARK_NODE_DOCUMENT: .document
        case CMARK_NODE_BLOCK_QUOTE: .blockQuote
        case CMARK_NODE_LIST:
            .list(ordered: cmark_node_get_list_type(node) == CMARK_ORDERED_LIST,
                  start: Int(cmark_node_get_list_start(node)), tight: cmark_node_get_list_tight(node) != 0)
        case CMARK_NODE_ITEM: .item
        case CMARK_NODE_CODE_BLOCK: .codeBlock(info: string(cmark_node_get_fence_info(node)))
        case CMARK_NODE_HTML_BLOCK: .htmlBlock
        case CMARK_NODE_PARAGRAPH: .paragraph
        case CMARK_NODE_HEADING: .heading(level: Int(cmark_node_get_heading_level(node)))
        case CMARK_NODE_THEMATIC_BREAK: .thematicBreak
        case CMARK_NODE_TEXT: .text
        case CMARK_NODE_SOFTBREAK: .softBreak
        case CMARK_NODE_LINEBREAK: .lineBreak
        case CMARK_NODE_CODE: .code
        case CMARK_NODE_HTML_INLINE: .htmlInline
        case CMARK_NODE_EMPH: .emphasis
        case CMARK_NODE_STRONG: .strong
        case CMARK_NODE_LINK: .link(url: string(cmark_node_get_url(node)))
        case CMARK_NODE_IMAGE: .image(url: string(cmark_node_get_url(node)))
        default:
            // Extension nodes have types assigned at run time; their names are stable.
            switch string(cmark_node_get_type_string(node)) {
            case "table": .table
            case "table_header", "table_row": .tableRow(header: cmark_gfm_extensions_get_table_row_is_header(node) != 0)
            case "table_cell": .tableCell
            case "strikethrough": .strikethrough
            default: .other
            }
        }
    }

    private static func string(_ c: UnsafePointer<CChar>?) -> String {
        c.map { String(cString: $0) } ?? ""
    }
}
