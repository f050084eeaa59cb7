import Foundation
import HeraldBase

#if canImport(Glibc)
    import Glibc
#endif

/// The short text feeds and digests show for a post: what the author wrote in front
/// matter (`summary`, else `description`), else the body before `<!--more-->`, else
/// the start of the body. Plain text on one line; the part before `<!--more-->` also
/// keeps its shape (`ManualSummary`).
package enum Summary {
    static let moreMarker = "<!--more-->"
    private static let moreMarkerBytes = Array(moreMarker.utf8)
    /// Counted in characters, not words: Chinese has no spaces, and a word count would
    /// make the whole post its own summary.
    static let automaticLength = 120

    /// The summary of a post whose body renders as `rendered`, by `dialect`'s rules: the
    /// plain text, and the shaped summary when it is the part before `<!--more-->`.
    /// `text`: lay that part out as plain text too (the email's text part needs it, feeds not).
    static func make(
        meta: PostMeta, body: Substring, rendered: Markdown.Rendered, dialect: MarkdownDialect, text: Bool
    ) -> (plain: String, manual: ManualSummary?) {
        let head = moreMarkerStart(in: body).map { body[..<$0] }
        switch dialect {
        case .commonMark:
            if let written = meta.summaryOverride ?? meta.description { return (written, nil) }
            if let head { return manual(head, permalink: meta.permalink, dialect: dialect, text: text) }
            return (truncated(Whitespace.collapsed(PlainTextRenderer.flatText(rendered.document))), nil)
        case .hugo(let length, let hasCJKLanguage, _):
            if let head { return manual(head, permalink: meta.permalink, dialect: dialect, text: text) }
            return (hugo(meta: meta, html: rendered.html, length: length, hasCJKLanguage: hasCJKLanguage), nil)
        }
    }

    /// Where the first `<!--more-->` in `body` starts, found as bytes, as Hugo finds it.
    /// Foundation's `range(of:)` compared UTF-16 clusters through CFStringFind: half of
    /// rendering the posts of a 50-entry build (BENCHMARKS.md, "Incremental builds").
    /// The marker is ASCII, so a byte match starts on a scalar boundary.
    static func moreMarkerStart(in body: Substring) -> Substring.Index? {
        let found = body.utf8.withContiguousStorageIfAvailable { bytes -> Int? in
            moreMarkerBytes.withUnsafeBufferPointer { marker -> Int? in
                // memchr to each `<`, then memcmp: Glibc's module does not export memmem.
                guard let base = bytes.baseAddress else { return nil }
                var offset = 0
                while bytes.count - offset >= marker.count,
                    let hit = memchr(base + offset, Int32(marker[0]), bytes.count - offset - marker.count + 1)
                {
                    let at = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
                    if memcmp(hit, marker.baseAddress!, marker.count) == 0 { return at }
                    offset = at + 1
                }
                return nil
            }
        }
        guard let found else {
            // Bridged or foreign text without contiguous UTF-8: the plain search.
            return body.range(of: moreMarker).map(\.lowerBound)
        }
        return found.map { body.utf8.index(body.utf8.startIndex, offsetBy: $0) }
    }

    /// The part before `<!--more-->`, rendered as the body is: its flat text is the plain
    /// summary, its HTML and laid-out text the shaped one.
    private static func manual(
        _ head: Substring, permalink: URL, dialect: MarkdownDialect, text: Bool
    ) -> (plain: String, manual: ManualSummary?) {
        let rendered = Markdown.render(head, rewriter: URLRewriter(base: permalink), dialect: dialect, checkLinks: false)
        let plain = Whitespace.collapsed(PlainTextRenderer.flatText(rendered.document))
        var renderer = PlainTextRenderer()
        let laidOut = text ? renderer.render(rendered.document).trimmingCharacters(in: .newlines) : ""
        return (plain, ManualSummary(html: rendered.html, text: laidOut, inertHTML: rendered.inertHTML))
    }

    /// Hugo's `.Summary` for a page of a Hugo site without `<!--more-->` (that part is
    /// `manual`): front matter `summary` (or `description`), else the first `length` words of
    /// the text cut at the end of a sentence, or, for a page in Chinese, Japanese or Korean
    /// on a site with hasCJKLanguage, the first `length` characters.
    private static func hugo(meta: PostMeta, html: String, length: Int, hasCJKLanguage: Bool) -> String {
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
