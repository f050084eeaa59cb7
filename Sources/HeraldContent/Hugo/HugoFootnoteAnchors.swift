/// Footnote links that land on the site's own page. cmark-gfm names a footnote's anchors
/// after its label (`#fn-LABEL`, and `#fnref-LABEL`, `#fnref-LABEL-K` for the K-th reference
/// back to it); Hugo's Goldmark, which wrote the page, numbers them (`#fn:N`, `#fnref:N`,
/// `#fnref{K-1}:N`). The sanitizer makes these links absolute against the post's page, since
/// mail clients and feed readers keep no ids, so they must be the page's names or they land
/// at its top. Both number footnotes in the order they are first referenced and leave out
/// those never referenced. `HugoFootnoteAnchorsTests`, and the peer test beside Hugo itself
/// (`test_footnote_links_land_on_the_anchors_of_hugos_page`), hold this.
enum HugoFootnoteAnchors {
    /// Where cmark-gfm starts the footnote definitions, each an `<li id="fn-LABEL">`.
    private static let section = "<section class=\"footnotes\" data-footnotes>"
    private static let definition = "<li id=\"fn-"

    /// `html` as cmark-gfm rendered it, its footnote links renamed; unchanged without footnotes.
    static func rewrite(_ html: String) -> String {
        guard let section = html.range(of: section) else { return html }
        // Each definition's label and where it starts: a back link belongs to the one it is in.
        var definitions: [(start: String.Index, label: Substring)] = []
        var numbers: [Substring: Int] = [:]
        var rest = html[section.upperBound...]
        while let open = rest.range(of: definition), let close = rest[open.upperBound...].firstIndex(of: "\"") {
            let label = rest[open.upperBound..<close]
            definitions.append((open.lowerBound, label))
            numbers[label] = numbers[label] ?? numbers.count + 1
            rest = rest[close...]
        }
        guard !numbers.isEmpty else { return html }

        var out = ""
        out.reserveCapacity(html.utf8.count)
        var done = html.startIndex
        var cursor = html[...]
        var inside = -1  // the definition the cursor is in, once past the first
        while let href = cursor.range(of: "href=\"#fn") {
            guard let close = cursor[href.upperBound...].firstIndex(of: "\"") else { break }
            while inside + 1 < definitions.count, definitions[inside + 1].start < href.lowerBound { inside += 1 }
            let name = cursor[href.upperBound..<close]  // "-LABEL" or "ref-LABEL…"
            let renamed = name.hasPrefix("-") ? numbers[name.dropFirst()].map { "fn:\($0)" }
                : inside >= 0 ? backLink(name, to: definitions[inside].label, numbers) : nil
            if let renamed {
                out += html[done..<href.upperBound].dropLast(2)  // up to and including `href="#`
                out += renamed
                done = close
            }
            cursor = cursor[close...]
        }
        out += html[done...]
        return out
    }

    /// In the definition of `label`: `ref-LABEL` is `fnref:N`, `ref-LABEL-K` `fnref{K-1}:N`.
    /// Known by the definition it is in, so a label that itself ends in `-K` is no confusion.
    private static func backLink(_ name: Substring, to label: Substring, _ numbers: [Substring: Int]) -> String? {
        guard name.hasPrefix("ref-"), let n = numbers[label] else { return nil }
        let target = name.dropFirst(4)
        guard target.hasPrefix(label) else { return nil }
        let tail = target.dropFirst(label.count)
        if tail.isEmpty { return "fnref:\(n)" }
        guard tail.hasPrefix("-"), let k = Int(tail.dropFirst()), k >= 2 else { return nil }
        return "fnref\(k - 1):\(n)"
    }
}
