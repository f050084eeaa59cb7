/// A Markdown document as a plain Swift tree, so renderers other than cmark's own
/// (plain text, summaries) never touch a C pointer. Built by `Markdown`.
struct MarkdownNode: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case document, blockQuote, item, paragraph, thematicBreak, htmlBlock
        case list(ordered: Bool, start: Int, tight: Bool)
        case codeBlock(info: String)
        case heading(level: Int)
        case table
        case tableRow(header: Bool)
        case tableCell
        case text, softBreak, lineBreak, code, htmlInline
        case emphasis, strong, strikethrough
        case link(url: String)
        case image(url: String)
        /// A Hugo site's definition list (`HugoDefinitionLists`): terms and their definitions.
        case definitionList, definitionTerm, definitionDetails
        /// Anything else (footnotes, custom nodes): its children are still rendered.
        case other
    }

    var kind: Kind
    /// Text of text, code, code block and raw HTML nodes.
    var literal: String = ""
    var children: [MarkdownNode] = []
}
