/// Writes one RSS 2.0 feed with the `content`, `dc`, `atom` and `media` extensions:
/// `begin()`, `entry(_:)` per post, newest first, `finish()`.
final class RSSWriter {
    private let xml: XMLWriter
    private let plan: FeedPlan
    private let context: FeedContext

    init(xml: XMLWriter, plan: FeedPlan, context: FeedContext) {
        self.xml = xml
        self.plan = plan
        self.context = context
    }

    func begin() {
        let pub = context.publication
        xml.start("rss")
        xml.attribute("version", "2.0")
        xml.attribute("xmlns:atom", "http://www.w3.org/2005/Atom")
        xml.attribute("xmlns:content", "http://purl.org/rss/1.0/modules/content/")
        xml.attribute("xmlns:dc", "http://purl.org/dc/elements/1.1/")
        xml.attribute("xmlns:media", "http://search.yahoo.com/mrss/")
        xml.start("channel")
        xml.element("title", plan.title.singleLine)
        xml.element("link", plan.url.absoluteString)
        // Required by RSS 2.0; the title stands in when the config has no description.
        xml.element("description", pub.description.isEmpty ? plan.title.singleLine : pub.description)
        xml.empty("atom:link", ["href": plan.fileURL("rss.xml").absoluteString, "rel": "self", "type": "application/rss+xml"])
        xml.element("language", pub.language.lowercased())
        xml.element("generator", "\(HeraldGenerator.name) \(HeraldGenerator.version)")
        if !plan.entries.isEmpty {
            // From the posts, not the clock: an unchanged publication gives unchanged bytes.
            let updated = plan.updated
            xml.element("lastBuildDate", FeedDates.rfc822(updated.date, offset: updated.offset))
        }
    }

    func entry(_ post: Post) {
        let permalink = post.permalink.absoluteString
        xml.start("item")
        xml.element("title", post.title.singleLine)
        xml.element("link", permalink)
        xml.element("guid", permalink, ["isPermaLink": "true"])
        xml.element("pubDate", FeedDates.rfc822(post.date, offset: post.utcOffset))
        xml.element("dc:creator", context.author(of: post).name.singleLine)
        for category in post.categories {
            xml.element("category", category.singleLine, ["domain": context.categoryScheme])
        }
        for tag in post.tags {
            xml.element("category", tag.singleLine, ["domain": context.tagScheme])
        }
        // RSS readers take description as HTML; the summary is plain text, so escape it
        // as HTML first (`a < b` must not open a tag), then XML escapes it again.
        xml.element("description", post.summary.htmlEscaped)
        if context.content == .full {
            xml.element("content:encoded", post.html)
        }
        if let cover = post.cover {
            xml.empty("media:thumbnail", ["url": cover.absoluteString])
        }
        xml.end()
    }

    func finish() throws(FeedError) {
        xml.end() // channel
        xml.end() // rss
        try xml.finish()
    }
}

private extension String {
    var htmlEscaped: String {
        guard contains(where: { $0 == "&" || $0 == "<" || $0 == ">" }) else { return self }
        var out = ""
        out.reserveCapacity(utf8.count + 16)
        for c in self {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(c)
            }
        }
        return out
    }
}
