import Foundation
import HeraldBase
import HeraldConfig

extension IncomingEntry {
    /// The entry as the `Post` a Markdown file would give: its HTML with relative URLs
    /// made absolute (against `xml:base` or the feed), the plain text for mail laid out from
    /// that HTML, the feed's summary (else the start of the text). `firstSeen` is its date
    /// when the feed gives none. The sanitizer runs later, as for every post.
    package func post(in feed: IncomingFeed, publication: Publication, firstSeen: Date) -> Post {
        let permalink = link ?? FeedReader.webURL(id, base: nil) ?? feed.link ?? publication.baseURL
        let body = contentHTML ?? summaryHTML ?? ""
        let html = URLRewriter(base: base ?? permalink).rewriteHTML(body)
        var renderer = PlainTextRenderer()
        let text = html.isEmpty ? "" : renderer.render(html: html)
        let written = summaryHTML.map { Whitespace.collapsed(FeedText.flat($0)) }.flatMap { $0.isEmpty ? nil : $0 }
        let summary = written ?? Summary.truncated(Whitespace.collapsed(FeedText.flat(html)))
        let published = date ?? firstSeen
        let meta = PostMeta(
            source: id, title: title.isEmpty ? Summary.truncated(summary, limit: 60) : title, slug: Self.slug(permalink),
            permalink: permalink, date: published, utcOffset: date == nil ? 0 : utcOffset, updated: updated ?? published,
            author: Person(name: author ?? feed.author ?? publication.author.name), description: nil,
            summaryOverride: written, categories: [], tags: tags, cover: cover, draft: false,
            // The feed published it: no publish date of its own holds it back.
            publishDate: .distantPast)
        return Post(meta: meta, html: html, text: text, summary: summary)
    }

    /// The last part of the link's path (`/2024/05/hello/` → `hello`).
    static func slug(_ url: URL) -> String {
        let last = url.path.split(separator: "/").last.map(String.init) ?? ""
        let name = last.hasSuffix(".html") ? String(last.dropLast(5)) : last
        return name.isEmpty ? "entry" : name
    }
}
