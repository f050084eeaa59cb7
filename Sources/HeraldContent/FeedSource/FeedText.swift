import HeraldBase

/// The text of an entry's HTML, as libxml2's HTML parser reads it, without what the
/// sanitizer drops whole (scripts, styles, forms).
enum FeedText {
    static func flat(_ html: String) -> String {
        guard html.contains(ascii: "<") || html.contains(ascii: "&") else { return html }
        var out = ""
        append(HTMLTree.parse(html), to: &out)
        return out
    }

    private static func append(_ nodes: [HTMLNode], to out: inout String) {
        for node in nodes {
            switch node {
            case .text(let text): out += text
            case .element(let name, _, let children):
                if HTMLSanitizer.droppedElements.contains(name) && !HTMLSanitizer.voidElements.contains(name) { continue }
                let block = name == "p" || name == "div" || name == "li" || name == "br" || name.first == "h"
                if block { out += " " }
                append(children, to: &out)
                if block { out += " " }
            }
        }
    }

    /// Text given as plain text in a feed, as HTML.
    static func html(fromText text: String) -> String {
        HTMLEscaping.text(text).split(separator: "\n\n", omittingEmptySubsequences: true)
            .map { "<p>\($0)</p>" }.joined(separator: "\n")
    }
}
