/// Writes one Atom 1.0 feed (RFC 4287): `begin()`, `entry(_:)` per post, newest first, `finish()`.
final class AtomWriter {
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
        xml.start("feed")
        xml.attribute("xmlns", "http://www.w3.org/2005/Atom")
        xml.attribute("xmlns:media", "http://search.yahoo.com/mrss/")
        xml.attribute("xml:lang", pub.language)
        let selfURL = plan.fileURL("atom.xml").absoluteString
        // The feed's own URL: unique per feed and unchanged as long as the feed lives there.
        xml.element("id", selfURL)
        xml.element("title", plan.title.singleLine)
        if !pub.description.isEmpty { xml.element("subtitle", pub.description) }
        xml.empty("link", ["rel": "self", "type": "application/atom+xml", "href": selfURL])
        xml.empty("link", ["rel": "alternate", "type": "text/html", "href": plan.url.absoluteString])
        let updated = plan.updated
        xml.element("updated", FeedDates.rfc3339(updated.date, offset: updated.offset))
        person("author", pub.author)
        xml.element("generator", HeraldGenerator.name, ["version": HeraldGenerator.version])
    }

    func entry(_ post: Post) {
        let permalink = post.permalink.absoluteString
        xml.start("entry")
        xml.element("title", post.title.singleLine)
        xml.empty("link", ["rel": "alternate", "type": "text/html", "href": permalink])
        // The permalink, not the title: editing a title must not make readers see a new post.
        xml.element("id", permalink)
        xml.element("published", FeedDates.rfc3339(post.date, offset: post.utcOffset))
        xml.element("updated", FeedDates.rfc3339(post.meta.entryUpdated, offset: post.utcOffset))
        person("author", context.author(of: post))
        for category in post.categories {
            xml.empty("category", ["term": category, "scheme": context.categoryScheme, "label": category.singleLine])
        }
        for tag in post.tags {
            xml.empty("category", ["term": tag, "scheme": context.tagScheme, "label": tag.singleLine])
        }
        if !post.summary.isEmpty { xml.element("summary", post.summary) }
        if context.content == .full {
            xml.element("content", post.html, ["type": "html", "xml:base": permalink])
        }
        if let cover = post.cover {
            // A thumbnail, not rel=enclosure: an enclosure should state its length, which
            // Herald cannot know without fetching the image.
            xml.empty("media:thumbnail", ["url": cover.absoluteString])
        }
        xml.end()
    }

    func finish() throws(FeedError) {
        xml.end()
        try xml.finish()
    }

    private func person(_ element: String, _ person: Person) {
        xml.start(element)
        xml.element("name", person.name.singleLine)
        if let uri = person.uri, !uri.isEmpty { xml.element("uri", uri) }
        if let email = person.email, !email.isEmpty { xml.element("email", email) }
        xml.end()
    }
}
