import CCmarkGFM
import Foundation
import HeraldBase
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// cmark-gfm, the only place in Herald that holds its pointers. Each call parses, edits
/// the AST (relative URLs made absolute), renders HTML and hands back the HTML and the
/// document, which becomes a Swift tree when first asked for. Everything cmark allocates
/// for the call lives in one arena, freed with the last copy of the result.
package enum Markdown {
    /// Raw HTML is kept (posts embed `<br/>`, `<img>`, iframes): the authors are the
    /// publication's own editors, and feed readers sanitize on their side. A Hugo site that
    /// leaves it out of its pages has it left out here too (`MarkdownDialect.RawHTML`).
    static let options = CMARK_OPT_UNSAFE
    /// Deeper nesting than this is flattened in the Swift tree (the HTML keeps it): a
    /// hostile `>>>>…` post must not overflow a worker thread's stack.
    static let maxDepth = 100

    struct Rendered: Sendable {
        let html: String
        /// Link destinations that look mistyped (`LinkTypos`), with the line of the
        /// paragraph or block that holds them, counted from the body's first line (1).
        let linkTypos: [(line: Int, destination: String, message: String)]
        /// The HTML holds nothing the sanitizer would remove or rewrite (see `rewriteURLs`).
        let isInert: Bool
        /// `html` itself when it is inert: what an unstyled (feed) sanitizer would give back.
        var inertHTML: SafeHTML? { isInert ? SafeHTML(vouchedFor: html) : nil }
        private let tree: Tree

        fileprivate init(
            html: String, linkTypos: [(line: Int, destination: String, message: String)] = [],
            isInert: Bool = false, tree: Tree
        ) {
            self.html = html
            self.linkTypos = linkTypos
            self.isInert = isInert
            self.tree = tree
        }

        /// The document as a Swift tree, converted from the C tree on first use: a feed of
        /// posts whose summary is in their front matter never needs it, so it does not pay
        /// for converting (BENCHMARKS.md, "Where the speed tricks came from").
        var document: MarkdownNode { tree.document }
    }

    /// One C tree and the arena that holds it: converted at most once, freed with the
    /// arena. `@unchecked Sendable` because the tree is read (and cmark caches the strings
    /// it hands out in it) only under `converted`'s lock, and `render` changes it no more
    /// once it hands it over.
    fileprivate final class Tree: @unchecked Sendable {
        private let root: OpaquePointer?
        private let arena: Arena?
        private let converted = Mutex<MarkdownNode?>(nil)

        init(_ root: OpaquePointer?, arena: Arena?) {
            self.root = root
            self.arena = arena
        }

        static var empty: Tree { Tree(nil, arena: nil) }

        var document: MarkdownNode {
            converted.withLock { node in
                if let node { return node }
                var made = MarkdownNode(kind: .document)
                if let root, let arena { made = arena.use { Markdown.convert(root, depth: 0) } }
                node = made
                return made
            }
        }
    }

    /// Parses `markdown`, rewrites link, image and raw HTML URLs with `rewriter`, and renders.
    /// `checkLinks`: look for mistyped link destinations (`Rendered.linkTypos`), which only
    /// `herald check` reports. `shortcodeTags`: the HTML tags shortcodes wrote into
    /// `markdown`, kept where the dialect leaves raw HTML out.
    static func render(
        _ markdown: Substring, rewriter: URLRewriter?, html wantHTML: Bool = true,
        dialect: MarkdownDialect = .commonMark, checkLinks: Bool = true, shortcodeTags: Set<String> = []
    ) -> Rendered {
        let options = Self.cmarkOptions(dialect)
        let arena = Arena()
        return arena.use {
            // Parsing touches cmark-gfm's global state: one parse at a time, feed included
            // (the table extension parses each row's inlines while lines are fed). See
            // MarkdownExtensions.
            var source = markdown
            let parsed: (parser: OpaquePointer, root: OpaquePointer?)? = MarkdownExtensions.exclusively {
                guard let parser = cmark_parser_new_with_mem(options, arena.mem) else { return nil }
                // No cmark_parser_free or cmark_node_free: everything they would free is in the
                // arena, which goes at once with the last Rendered.
                for name in MarkdownExtensions.attached(dialect) {
                    if let ext = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, ext) }
                }
                source.withUTF8 { bytes in
                    bytes.withMemoryRebound(to: CChar.self) { cmark_parser_feed(parser, $0.baseAddress, $0.count) }
                }
                return (parser, cmark_parser_finish(parser))
            }
            guard let parser = parsed?.parser, let root = parsed?.root else { return Rendered(html: "", tree: .empty) }
            if case .hugo = dialect {
                // Goldmark's extensions that cmark-gfm lacks, made on the tree.
                if HugoHeadingAttributes.mayContain(markdown) { HugoHeadingAttributes.strip(root) }
                if HugoDefinitionLists.mayContain(markdown) { HugoDefinitionLists.convert(root, mem: arena.mem) }
            }
            let (typos, isInert, hasFootnotes) = rewriteURLs(
                root, with: rewriter, checkLinks: checkLinks, rawHTML: dialect.rawHTML(shortcodeTags: shortcodeTags))
            var html = ""
            if wantHTML, let rendered = cmark_render_html_with_mem(root, options, cmark_parser_get_syntax_extensions(parser), arena.mem) {
                html = String(cString: rendered)
                if hasFootnotes { html = HugoFootnotes.rewrite(html) }
            }
            return Rendered(html: html, linkTypos: typos, isInert: isInert, tree: Tree(root, arena: arena))
        }
    }

    /// Hugo's Goldmark has footnotes and typographic quotes and dashes on.
    private static func cmarkOptions(_ dialect: MarkdownDialect) -> Int32 {
        switch dialect {
        case .commonMark: options
        case .hugo: options | CMARK_OPT_FOOTNOTES | CMARK_OPT_SMART
        }
    }

    /// Makes link, image and raw HTML URLs absolute in the C tree, so the HTML rendered
    /// afterwards and the Swift tree both carry them, and returns the destinations that look
    /// mistyped, as written. Iterative: nesting depth is the author's.
    ///
    /// Also says whether the HTML will be inert: only core and table/strikethrough nodes,
    /// every link and image an absolute http(s) URL, raw HTML only attribute-less tags the
    /// sanitizer keeps. cmark escapes all text and attributes it writes, so such HTML
    /// carries nothing active and feeds need not sanitize it (most posts; BENCHMARKS.md, "What
    /// the feeds pay for", has what sanitizing all of them would cost). `InertMarkdownTests`
    /// holds this to the sanitizer.
    ///
    /// Raw HTML that `rawHTML` does not keep becomes Goldmark's `<!-- raw HTML omitted -->`,
    /// in the tree too, so the plain text made from it leaves it out as the HTML does.
    private static func rewriteURLs(
        _ root: OpaquePointer, with rewriter: URLRewriter?, checkLinks: Bool, rawHTML: MarkdownDialect.RawHTML
    )
        -> (typos: [(line: Int, destination: String, message: String)], isInert: Bool, hasFootnotes: Bool)
    {
        guard let iterator = cmark_iter_new(root) else { return ([], false, false) }
        defer { cmark_iter_free(iterator) }
        var typos: [(line: Int, destination: String, message: String)] = []
        var inert = true
        var footnotes = false
        while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(node) {
            case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
                let url = string(cmark_node_get_url(node))
                if checkLinks, let message = LinkTypos.problem(in: url) { typos.append((line(of: node), url, message)) }
                let absolute = rewriter?.absolute(url) ?? url
                if absolute != url { cmark_node_set_url(node, absolute) }
                if inert, !HTMLSanitizer.isPlainAbsolute(absolute) { inert = false }
            case CMARK_NODE_TEXT:
                // `[text](https://a b)` is no link to cmark (a space ends the destination): it
                // stays text, "](https://a b)" in one node or "]" and "(https://a b)" in two.
                guard checkLinks, let literal = cmark_node_get_literal(node) else { continue }
                let opening: UnsafePointer<CChar>
                if let bracket = strstr(literal, "](") {
                    opening = UnsafePointer(bracket) + 1
                } else if literal.pointee == CChar(UInt8(ascii: "(")), let previous = cmark_node_previous(node),
                    cmark_node_get_type(previous) == CMARK_NODE_TEXT, string(cmark_node_get_literal(previous)).hasSuffix("]")
                {
                    opening = literal
                } else {
                    continue
                }
                // GFM's autolinks may have made a link of the part before the space.
                var text = string(opening)
                var sibling = cmark_node_next(node)
                while !text.contains(")"), let next = sibling, text.utf8.count < 2048 {
                    let type = cmark_node_get_type(next)
                    if type == CMARK_NODE_TEXT {
                        text += string(cmark_node_get_literal(next))
                    } else if type == CMARK_NODE_LINK, let child = cmark_node_first_child(next) {
                        text += string(cmark_node_get_literal(child))
                    } else {
                        break
                    }
                    sibling = cmark_node_next(next)
                }
                guard let close = text.firstIndex(of: ")") else { continue }
                let destination = String(text[text.index(after: text.startIndex)..<close])
                if destination.contains(" "), let message = LinkTypos.problem(in: destination) {
                    typos.append((line(of: node), destination, message))
                }
            case CMARK_NODE_FOOTNOTE_REFERENCE:
                // Named by label; Hugo's page numbers them (HugoFootnotes). Sanitized.
                footnotes = true
                inert = false
            case CMARK_NODE_HTML_BLOCK, CMARK_NODE_HTML_INLINE:
                let literal = string(cmark_node_get_literal(node))
                guard rawHTML.keeps(literal) else {
                    // A comment, which the sanitizer drops.
                    cmark_node_set_literal(node, "<!-- raw HTML omitted -->")
                    inert = false
                    continue
                }
                let rewritten = rewriter?.rewriteHTML(literal) ?? literal
                if rewritten != literal { cmark_node_set_literal(node, rewritten) }
                if inert, !HTMLSanitizer.isInertMarkup(rewritten) { inert = false }
            case CMARK_NODE_DOCUMENT, CMARK_NODE_BLOCK_QUOTE, CMARK_NODE_LIST, CMARK_NODE_ITEM, CMARK_NODE_CODE_BLOCK,
                CMARK_NODE_PARAGRAPH, CMARK_NODE_HEADING, CMARK_NODE_THEMATIC_BREAK, CMARK_NODE_SOFTBREAK,
                CMARK_NODE_LINEBREAK, CMARK_NODE_CODE, CMARK_NODE_EMPH, CMARK_NODE_STRONG:
                // A task list item is a core item that an extension renders with a checkbox.
                if inert, cmark_node_get_syntax_extension(node) != nil { inert = false }
            default:
                // Extension nodes: tables and strikethrough write plain elements; footnotes,
                // task lists (a form control) and anything else go through the sanitizer.
                if inert, !inertExtensions.contains(string(cmark_node_get_type_string(node))) { inert = false }
            }
        }
        return (typos, inert, footnotes)
    }

    private static let inertExtensions: Set<String> = ["table", "table_header", "table_row", "table_cell", "strikethrough"]

    /// An inline node's line is its block's (cmark tracks inline lines only with
    /// CMARK_OPT_SOURCEPOS, which would also write them into the HTML).
    private static func line(of node: OpaquePointer) -> Int {
        var cursor: OpaquePointer? = node
        while let current = cursor {
            let line = Int(cmark_node_get_start_line(current))
            if line > 0 { return line }
            cursor = cmark_node_parent(current)
        }
        return 1
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
            .list(
                ordered: cmark_node_get_list_type(node) == CMARK_ORDERED_LIST,
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
        case CMARK_NODE_CUSTOM_BLOCK:
            switch HugoDefinitionLists.Block(of: node) {
            case .list: .definitionList
            case .term: .definitionTerm
            case .details: .definitionDetails
            case nil: .other
            }
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

/// The memory of one document's cmark allocations: parser, nodes, strings and rendered
/// HTML, taken from a few large blocks and released together when the document goes.
/// cmark allocates and frees for every node and every growing string; here an allocation
/// is a pointer bump and a free is nothing (BENCHMARKS.md, "Where the speed tricks came from").
///
/// cmark's allocator functions get no context pointer, so the arena in use is the
/// calling thread's current one (`use`), and every call into cmark for the document
/// happens inside `use`. Not thread-safe: one thread at a time (`Tree` locks).
private final class Arena {
    /// The functions cmark calls; cmark keeps this pointer in the parser and every node.
    let mem: UnsafeMutablePointer<cmark_mem>
    /// Plain memory, not a Swift object: the allocator functions reach it without
    /// retaining anything.
    private let blocks: UnsafeMutablePointer<ArenaBlocks>

    init() {
        mem = .allocate(capacity: 1)
        mem.initialize(to: cmark_mem(calloc: arenaCalloc, realloc: arenaRealloc, free: arenaFree))
        blocks = .allocate(capacity: 1)
        blocks.initialize(to: ArenaBlocks())
    }

    deinit {
        blocks.pointee.releaseAll()
        blocks.deallocate()
        mem.deallocate()
    }

    /// `body` with this arena as the calling thread's current one.
    func use<R>(_ body: () -> R) -> R {
        let previous = pthread_getspecific(arenaKey)
        pthread_setspecific(arenaKey, blocks)
        defer { pthread_setspecific(arenaKey, previous) }
        return body()
    }
}

/// The calling thread's current arena (`Arena.use`).
private let arenaKey: pthread_key_t = {
    var key = pthread_key_t()
    precondition(pthread_key_create(&key, nil) == 0, "no thread-specific key for cmark's arena")
    return key
}()

private func currentArena() -> UnsafeMutablePointer<ArenaBlocks> {
    pthread_getspecific(arenaKey)!.assumingMemoryBound(to: ArenaBlocks.self)
}

private func arenaCalloc(_ count: Int, _ size: Int) -> UnsafeMutableRawPointer? {
    let pointer = currentArena().pointee.allocate(count * size)
    pointer.initializeMemory(as: UInt8.self, repeating: 0, count: count * size)
    return pointer
}

private func arenaRealloc(_ pointer: UnsafeMutableRawPointer?, _ size: Int) -> UnsafeMutableRawPointer? {
    currentArena().pointee.reallocate(pointer, size)
}

/// Memory goes back with the whole arena.
private func arenaFree(_ pointer: UnsafeMutableRawPointer?) {}

/// An arena's blocks, chained through their first bytes, and the free room in the newest.
private struct ArenaBlocks {
    private var newest: UnsafeMutableRawPointer?
    private var count = 0
    private var next: UnsafeMutableRawPointer?
    private var end: UnsafeMutableRawPointer?
    /// The latest allocation, which `reallocate` can grow in place.
    private var last: UnsafeMutableRawPointer?

    /// Each allocation is preceded by its size (for realloc), and each block by the
    /// previous block's address, keeping 16-byte alignment.
    private static let header = 16
    private static let firstBlock = 64 << 10, largestBlock = 1 << 20

    mutating func allocate(_ size: Int) -> UnsafeMutableRawPointer {
        let total = Self.header + Self.rounded(size)
        if next == nil || next!.distance(to: end!) < total {
            let blockSize = Self.header + max(total, min(Self.largestBlock, Self.firstBlock << count))
            let block = UnsafeMutableRawPointer.allocate(byteCount: blockSize, alignment: 16)
            block.storeBytes(of: newest, as: UnsafeMutableRawPointer?.self)
            newest = block
            count += 1
            next = block + Self.header
            end = block + blockSize
        }
        let start = next!
        start.storeBytes(of: size, as: Int.self)
        next = start + total
        last = start + Self.header
        return last!
    }

    mutating func reallocate(_ pointer: UnsafeMutableRawPointer?, _ size: Int) -> UnsafeMutableRawPointer {
        guard let pointer else { return allocate(size) }
        let header = pointer - Self.header
        let old = header.load(as: Int.self)
        if size <= old { return pointer }
        // A string growing as it is built is usually the latest allocation.
        if pointer == last, let end, pointer.distance(to: end) >= Self.rounded(size) {
            header.storeBytes(of: size, as: Int.self)
            next = pointer + Self.rounded(size)
            return pointer
        }
        let moved = allocate(size)
        moved.copyMemory(from: pointer, byteCount: old)
        return moved
    }

    mutating func releaseAll() {
        while let block = newest {
            newest = block.load(as: UnsafeMutableRawPointer?.self)
            block.deallocate()
        }
    }

    private static func rounded(_ size: Int) -> Int { (size + 15) & ~15 }
}
