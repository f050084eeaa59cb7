import Foundation
import FoundationEssentials

/// cmark-gfm's footnotes written as Hugo's Goldmark writes them on the site's page.
///
/// The anchors: cmark-gfm names them after the label (`#fn-LABEL`, and `#fnref-LABEL`,
/// `#fnref-LABEL-K` for the K-th reference back), Goldmark numbers them (`#fn:N`, `#fnref:N`,
/// `#fnref{K-1}:N`). The sanitizer points these links at the post's page, since mail clients
/// and feed readers keep no ids, so they must be the page's names or they land at its top.
/// Both number footnotes in the order they are first referenced and leave out those never
/// referenced.
///
/// The block: Goldmark's `<div class="footnotes">` has a rule above its list, and each back
/// link is `&#160;↩︎`, glued to the note's last word. Hugo's summary counts words by spaces,
/// so cmark-gfm's ` ↩` and ` ↩<sup>2</sup>` would end a summary sooner than Hugo's does.
///
/// `HugoFootnotesTests`, and the peer tests beside Hugo itself
/// (`test_footnote_links_land_on_the_anchors_of_hugos_page`, `test_summaries_are_hugos`), hold this.
enum HugoFootnotes {
    private static let section = "<section class=\"footnotes\" data-footnotes>\n<ol>"
    private static let goldmarkSection = "<div class=\"footnotes\" role=\"doc-endnotes\">\n<hr>\n<ol>"
    private static let sectionEnd = "</ol>\n</section>"
    private static let definition = "<li id=\"fn-"
    private static let backLink = "\" class=\"footnote-backref\" role=\"doc-backlink\">&#x21a9;&#xfe0e;</a>"

    /// `html` as cmark-gfm rendered it, its footnotes as Goldmark's; unchanged without them.
    static func rewrite(_ html: String) -> String {
        guard let notes = html.range(of: Self.section) else { return html }
        // Each definition's label and where it starts: a back link belongs to the one it is in.
        var definitions: [(start: String.Index, label: Substring)] = []
        var numbers: [Substring: Int] = [:]
        var rest = html[notes.upperBound...]
        while let open = rest.range(of: definition), let close = rest[open.upperBound...].firstIndex(of: "\"") {
            let label = rest[open.upperBound..<close]
            definitions.append((open.lowerBound, label))
            numbers[label] = numbers[label] ?? numbers.count + 1
            rest = rest[close...]
        }
        guard !numbers.isEmpty else { return html }

        var out = ""
        out.reserveCapacity(html.utf8.count + 64 * definitions.count)
        var done = html.startIndex
        var cursor = html[...]
        var inside = -1 // the definition the cursor is in, once past the first
        while let href = cursor.range(of: "href=\"#fn") {
            guard let close = cursor[href.upperBound...].firstIndex(of: "\"") else { break }
            while inside + 1 < definitions.count, definitions[inside + 1].start < href.lowerBound { inside += 1 }
            let name = cursor[href.upperBound..<close] // "-LABEL" or "ref-LABEL…"
            if name.hasPrefix("-"), let n = numbers[name.dropFirst()] {
                out += html[done..<href.upperBound].dropLast(2) // up to and including `href="#`
                out += "fn:\(n)"
                done = close
            } else if inside >= 0, let renamed = backLinkName(name, to: definitions[inside].label, numbers),
                let link = html[done..<href.lowerBound].range(of: "<a ", options: .backwards),
                link.upperBound == href.lowerBound, let end = html[close...].range(of: "</a>")
            {
                // After a note's last word the space before it becomes Goldmark's no-break
                // space; after a list or code block (where Goldmark writes no back link at all)
                // the link stays on a line of its own.
                let glued = link.lowerBound > done && html[html.index(before: link.lowerBound)] == " "
                out += html[done..<(glued ? html.index(before: link.lowerBound) : link.lowerBound)]
                out += (glued ? "&#160;" : "") + "<a href=\"#\(renamed)" + Self.backLink
                done = end.upperBound
            }
            cursor = html[max(close, done)...]
        }
        out += html[done...]
        return out.replacingOccurrences(of: Self.section, with: goldmarkSection)
            .replacingOccurrences(of: Self.sectionEnd, with: "</ol>\n</div>")
    }

    /// In the definition of `label`: `ref-LABEL` is `fnref:N`, `ref-LABEL-K` `fnref{K-1}:N`.
    /// Known by the definition it is in, so a label that itself ends in `-K` is no confusion.
    private static func backLinkName(_ name: Substring, to label: Substring, _ numbers: [Substring: Int]) -> String? {
        guard name.hasPrefix("ref-"), let n = numbers[label] else { return nil }
        let target = name.dropFirst(4)
        guard target.hasPrefix(label) else { return nil }
        let tail = target.dropFirst(label.count)
        if tail.isEmpty { return "fnref:\(n)" }
        guard tail.hasPrefix("-"), let k = Int(tail.dropFirst()), k >= 2 else { return nil }
        return "fnref\(k - 1):\(n)"
    }
}
