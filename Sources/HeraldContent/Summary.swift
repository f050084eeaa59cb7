import Foundation
import HeraldBase

/// The short text feeds and digests show for a post: what the author wrote in front
/// matter (`summary`, else `description`), else the body before `<!--more-->`, else
/// the start of the body. Plain text on one line.
package enum Summary {
    static let moreMarker = "<!--more-->"
    /// Counted in characters, not words: Chinese has no spaces, and a word count would
    /// make the whole post its own summary.
    static let automaticLength = 120

    /// The summary of a post whose body renders as `rendered`, by `dialect`'s rules.
    static func make(meta: PostMeta, body: Substring, rendered: Markdown.Rendered, dialect: MarkdownDialect) -> String {
        switch dialect {
        case .commonMark:
            commonMark(meta: meta, body: body, document: rendered.document)
        case .hugo(let length, let hasCJKLanguage, _):
            hugo(meta: meta, body: body, html: rendered.html, length: length, hasCJKLanguage: hasCJKLanguage)
        }
    }

    /// `document` is only evaluated when the summary comes from the body.
    private static func commonMark(meta: PostMeta, body: Substring, document: @autoclosure () -> MarkdownNode) -> String {
        if let written = meta.summaryOverride ?? meta.description { return written }
        if let more = body.range(of: moreMarker) {
            let head = Markdown.render(body[..<more.lowerBound], rewriter: nil, html: false).document
            return Whitespace.collapsed(PlainTextRenderer.flatText(head))
        }
        return truncated(Whitespace.collapsed(PlainTextRenderer.flatText(document())))
    }

    /// Hugo's `.Summary` for a page of a Hugo site: the part before `<!--more-->`, else
    /// front matter `summary` (or `description`), else the first `length` words of the
    /// text cut at the end of a sentence, or, for a page in Chinese, Japanese or Korean on
    /// a site with hasCJKLanguage, the first `length` characters.
    private static func hugo(meta: PostMeta, body: Substring, html: String, length: Int, hasCJKLanguage: Bool) -> String {
        if let more = body.range(of: moreMarker) {
            let head = Markdown.render(body[..<more.lowerBound], rewriter: nil, html: false).document
            return Whitespace.collapsed(PlainTextRenderer.flatText(head))
        }
        if let written = meta.summaryOverride ?? meta.description { return written }
        let plain = HugoText.plain(html)
        let summary =
            hasCJKLanguage && HugoText.hasCJK(plain)
            ? HugoText.truncateWordsByRune(HugoText.fields(plain), length: length)
            : HugoText.truncateToWholeSentence(plain, length: length)
        return Whitespace.collapsed(HTMLEntities.decoded(summary)) // a feed's summary is text, not HTML
    }

    /// The first `limit` characters (graphemes, so an emoji or a letter with its accent
    /// is never split), backing off to a space when the cut falls inside a Latin word.
    static func truncated(_ text: String, limit: Int = automaticLength) -> String {
        guard text.count > limit else { return text }
        var cut = text.index(text.startIndex, offsetBy: limit)
        let next = text[cut]
        if !next.isWhitespace, !DisplayWidth.isWide(next),
            let space = text[..<cut].lastIndex(where: \.isWhitespace),
            text.distance(from: space, to: cut) < 20
        {
            cut = space
        }
        var head = text[..<cut]
        while head.last?.isWhitespace == true { head = head.dropLast() }
        return head + "…"
    }
}
