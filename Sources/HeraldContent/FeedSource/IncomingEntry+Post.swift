import Foundation
import HeraldBase
import HeraldConfig

extension IncomingEntry {
    /// What selection needs, cheaply (no HTML is parsed): link, id (as `source`), dates.
    /// `firstSeen` is the date when the feed gives none.
    package func meta(in feed: IncomingFeed, publication: Publication, firstSeen: Date) -> PostMeta {
        let permalink = link ?? FeedReader.webURL(id, base: nil) ?? feed.link ?? publication.baseURL
        let published = date ?? firstSeen
        let shownTitle =
            title.isEmpty ? Summary.truncated(Whitespace.collapsed(FeedText.flat(contentHTML ?? summaryHTML ?? "")), limit: 60) : title
        return PostMeta(
            source: id, title: shownTitle, slug: Self.slug(permalink), permalink: permalink, date: published,
            utcOffset: date == nil ? 0 : utcOffset, updated: updated ?? published,
            author: Person(name: author ?? feed.author ?? publication.author.name), description: nil,
            summaryOverride: nil, categories: [], tags: tags, cover: cover, draft: false,
            // The feed published it: no publish date of its own holds it back.
            publishDate: .distantPast)
    }

    /// The entry as the `Post` a Markdown file would give, for `meta` (from `meta(in:…)`):
    /// its HTML with relative URLs made absolute (against `xml:base` or the feed), the plain
    /// text for mail laid out from that HTML, the feed's summary (else the start of the
    /// text). The sanitizer runs later, as for every post.
    package func post(_ meta: PostMeta) -> Post {
        let html = URLRewriter(base: base ?? meta.permalink).rewriteHTML(contentHTML ?? summaryHTML ?? "")
        var renderer = PlainTextRenderer()
        let text = html.isEmpty ? "" : renderer.render(html: html)
        let written = summaryHTML.map { Whitespace.collapsed(FeedText.flat($0)) }.flatMap { $0.isEmpty ? nil : $0 }
        let summary = written ?? Summary.truncated(Whitespace.collapsed(FeedText.flat(html)))
        let full = PostMeta(
            source: meta.source, title: meta.title, slug: meta.slug, permalink: meta.permalink, date: meta.date,
            utcOffset: meta.utcOffset, updated: meta.updated, author: meta.author, description: nil, summaryOverride: written,
            categories: [], tags: meta.tags, cover: meta.cover, draft: false, publishDate: meta.publishDate)
        return Post(meta: full, html: html, text: text, summary: summary)
    }

    /// Both steps at once.
    package func post(in feed: IncomingFeed, publication: Publication, firstSeen: Date) -> Post {
        post(meta(in: feed, publication: publication, firstSeen: firstSeen))
    }

    /// The last part of the link's path (`/2024/05/hello/` → `hello`).
    static func slug(_ url: URL) -> String {
        let last = url.path.split(separator: "/").last.map(String.init) ?? ""
        let name = last.hasSuffix(".html") ? String(last.dropLast(5)) : last
        return name.isEmpty ? "entry" : name
    }
}
