import FoundationEssentials
import HeraldBase
import HeraldConfig
import HeraldContent

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
        if pub.feeds.stylesheet {
            xml.processingInstruction("xml-stylesheet", FeedStylesheet.instruction(forFeedIn: plan.directory, stylesheetIn: context.folder))
        }
        xml.start("feed")
        xml.attribute("xmlns", "http://www.w3.org/2005/Atom")
        xml.attribute("xmlns:media", "http://search.yahoo.com/mrss/")
        if plan.archive?.isArchive == true { xml.attribute("xmlns:fh", ArchiveLinks.historyNamespace) }
        xml.attribute("xml:lang", pub.language)
        let selfURL = plan.fileURL(plan.files.atom ?? SiteLayout.Name.atom).absoluteString
        // The feed's own URL: unique per feed and unchanged as long as the feed lives there.
        // Archive pages share their feed's: they are parts of that one feed (RFC 5005).
        xml.element("id", plan.archive?.subscription(SiteLayout.Name.atom) ?? selfURL)
        Self.text("title", Whitespace.collapsed(plan.title), to: xml)
        if !pub.description.isEmpty { Self.text("subtitle", pub.description, to: xml) }
        xml.empty("link", ["rel": "self", "type": "application/atom+xml", "href": selfURL])
        xml.empty("link", ["rel": "alternate", "type": "text/html", "href": plan.url.absoluteString])
        if let hub = pub.feeds.websubHub { xml.empty("link", ["rel": "hub", "href": hub]) }
        if let archive = plan.archive {
            if archive.isArchive {
                xml.empty("link", ["rel": "current", "type": "application/atom+xml", "href": archive.subscription(SiteLayout.Name.atom)])
            }
            if let prev = archive.prev {
                xml.empty("link", ["rel": "prev-archive", "type": "application/atom+xml", "href": archive.page(prev, \.atom)])
            }
            if let next = archive.next {
                xml.empty("link", ["rel": "next-archive", "type": "application/atom+xml", "href": archive.page(next, \.atom)])
            }
            if archive.isArchive { xml.empty("fh:archive", [:]) }
        }
        let updated = plan.updated
        xml.element("updated", InternetDates.rfc3339(updated.date, offset: updated.offset))
        Self.person("author", pub.author, to: xml)
        xml.element("generator", HeraldGenerator.name, ["version": HeraldGenerator.version])
    }

    /// The post's `<entry>`, made once for all feeds (see `FeedEntryXML`).
    func entry(_ entry: FeedEntryXML) {
        xml.write(entry.atom)
    }

    /// Depth of an `<entry>`: a child of `<feed>`.
    static let entryDepth = 1

    /// Writes the `<entry>` of `entry` with `xml`; the same bytes in every feed.
    static func entry(_ entry: FeedEntry, context: FeedContext, to xml: XMLWriter) {
        let post = entry.post
        let permalink = entry.permalink
        xml.start("entry")
        text("title", entry.title, to: xml)
        xml.empty("link", ["rel": "alternate", "type": "text/html", "href": permalink])
        // The permalink (or the source's id), not the title: editing a title must not make readers see a new post.
        xml.element("id", entry.id)
        xml.element("published", entry.published)
        xml.element("updated", entry.updated)
        person("author", entry.author, to: xml)
        for name in post.categories { category(name, scheme: context.categoryScheme, to: xml) }
        for name in post.tags { category(name, scheme: context.tagScheme, to: xml) }
        if !post.summary.isEmpty {
            xml.element("summary", entry.summary.escaped, entry.summary.isHTML ? ["type": "html"] : [:])
        }
        if let html = entry.html {
            xml.element("content", html, ["type": "html", "xml:base": permalink])
        }
        if let cover = entry.cover {
            // A thumbnail, not rel=enclosure: an enclosure should state its length, which
            // Herald cannot know without fetching the image.
            xml.empty("media:thumbnail", ["url": cover])
        }
        xml.end()
    }

    func finish() throws(FileError) {
        xml.end()
        try xml.finish()
    }

    /// An Atom text construct. Text holding `<` or `&` is written as escaped HTML
    /// (`type="html"`): a reader shows exactly the text (`<b>` as the three characters),
    /// and validators warn on plain text that looks like a tag or an entity.
    private static func text(_ name: String, _ value: String, to xml: XMLWriter) {
        if value.contains(ascii: "<") || value.contains(ascii: "&") {
            xml.element(name, HTMLEscaping.text(value), ["type": "html"])
        } else {
            xml.element(name, value)
        }
    }

    /// A category: the term as the post names it, and a label only where a reader should
    /// see something else (one line, tags left out: see `TagFreeText`). Without a label a
    /// reader shows the term, so an equal one says nothing, and the validator checks
    /// labels, not terms, for what looks like markup.
    private static func category(_ term: String, scheme: String, to xml: XMLWriter) {
        let label = TagFreeText.of(term)
        if label == term {
            xml.empty("category", ["term": term, "scheme": scheme])
        } else {
            xml.empty("category", ["term": term, "scheme": scheme, "label": label])
        }
    }

    private static func person(_ element: String, _ person: Person, to xml: XMLWriter) {
        xml.start(element)
        // No `type` for a name: tags left out, and `&` written as `&#x26;`, so a literal
        // `&copy` is not taken for an entity (see `TagFreeText`, `EscapedText(rssPlainText:)`).
        xml.element("name", EscapedText(rssPlainText: TagFreeText.of(person.name)))
        if let uri = person.uri, !uri.isEmpty { xml.element("uri", uri) }
        if let email = person.email, !email.isEmpty { xml.element("email", email) }
        xml.end()
    }
}

/// Text for an Atom text construct, escaped once, and whether it is declared as HTML.
struct AtomText: Sendable {
    let escaped: EscapedText
    let isHTML: Bool

    init(_ escaped: EscapedText, isHTML: Bool) {
        self.escaped = escaped
        self.isHTML = isHTML
    }
}
