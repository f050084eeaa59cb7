import FoundationEssentials
import HeraldBase
import HeraldConfig

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
        if pub.feeds.stylesheet {
            xml.processingInstruction("xml-stylesheet", FeedStylesheet.instruction(forFeedIn: plan.directory, stylesheetIn: context.folder))
        }
        xml.start("rss")
        xml.attribute("version", "2.0")
        xml.attribute("xmlns:atom", "http://www.w3.org/2005/Atom")
        xml.attribute("xmlns:content", "http://purl.org/rss/1.0/modules/content/")
        xml.attribute("xmlns:dc", "http://purl.org/dc/elements/1.1/")
        xml.attribute("xmlns:media", "http://search.yahoo.com/mrss/")
        if plan.archive?.isArchive == true { xml.attribute("xmlns:fh", ArchiveLinks.historyNamespace) }
        xml.start("channel")
        xml.element("title", EscapedText(rssPlainText: TagFreeText.of(plan.title)))
        xml.element("link", plan.url.absoluteString)
        // Required by RSS 2.0; the title stands in when the config has no description.
        xml.element("description", EscapedText(rssPlainText: pub.description.isEmpty ? TagFreeText.of(plan.title) : pub.description))
        xml.empty("atom:link", ["href": plan.fileURL(plan.files.rss).absoluteString, "rel": "self", "type": "application/rss+xml"])
        if let hub = pub.feeds.websubHub { xml.empty("atom:link", ["href": hub, "rel": "hub"]) }
        // RFC 5005 in RSS 2.0 (its appendix B): Atom links and fh:archive in the channel.
        if let archive = plan.archive {
            if archive.isArchive {
                xml.empty(
                    "atom:link", ["href": archive.subscription(SiteLayout.Name.rss), "rel": "current", "type": "application/rss+xml"])
            }
            if let prev = archive.prev {
                xml.empty("atom:link", ["href": archive.page(prev, \.rss), "rel": "prev-archive", "type": "application/rss+xml"])
            }
            if let next = archive.next {
                xml.empty("atom:link", ["href": archive.page(next, \.rss), "rel": "next-archive", "type": "application/rss+xml"])
            }
            if archive.isArchive { xml.empty("fh:archive", [:]) }
        }
        xml.element("language", pub.language.lowercased())
        xml.element("generator", "\(HeraldGenerator.name) \(HeraldGenerator.version)")
        if !plan.entries.isEmpty {
            // From the posts, not the clock: an unchanged publication gives unchanged bytes.
            let updated = plan.updated
            xml.element("lastBuildDate", InternetDates.rfc822(updated.date, offset: updated.offset))
        }
    }

    /// The post's `<item>`, made once for all feeds (see `FeedEntryXML`).
    func entry(_ entry: FeedEntryXML) {
        xml.write(entry.rss)
    }

    /// Depth of an `<item>`: a child of `<channel>`, inside `<rss>`.
    static let itemDepth = 2

    /// Writes the `<item>` of `entry` with `xml`; the same bytes in every feed.
    static func item(_ entry: FeedEntry, context: FeedContext, to xml: XMLWriter) {
        let permalink = entry.permalink
        xml.start("item")
        xml.element("title", entry.rssTitle)
        xml.element("link", permalink)
        xml.element("guid", entry.id, ["isPermaLink": entry.id == permalink ? "true" : "false"])
        xml.element("pubDate", entry.pubDate)
        xml.element("dc:creator", EscapedText(rssPlainText: TagFreeText.of(entry.author.name)))
        for category in entry.rssCategories {
            xml.element("category", category, ["domain": context.categoryScheme])
        }
        for tag in entry.rssTags {
            xml.element("category", tag, ["domain": context.tagScheme])
        }
        xml.element("description", entry.description)
        if let html = entry.html {
            xml.element("content:encoded", html)
        }
        if let cover = entry.cover {
            xml.empty("media:thumbnail", ["url": cover])
        }
        xml.end()
    }

    func finish() throws(FileError) {
        xml.end() // channel
        xml.end() // rss
        try xml.finish()
    }
}
