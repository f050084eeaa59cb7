import Foundation
import HeraldBase
import HeraldConfig
import HeraldContent
import Mustache

/// The HTML page of one feed (`atom.xml.html` beside `atom.xml`): what feed.xsl shows in a
/// browser that still runs XSLT, for the browsers that no longer do. `herald serve` answers
/// a browser's request for the feed with it. Made from `templates/feed/feed.html` with the
/// labels and feed.css of the stylesheet, so both pages look and read the same.
enum FeedPage {
    /// Where the entries go in the rendered template: the page is streamed around them.
    static let marker = "<!--herald:entries-->"

    private static let template: MustacheTemplate? = try? MustacheTemplate(string: FeedTemplates.files["feed.html"] ?? "")

    /// The page of feed file `name` of `plan` before and after its entries.
    static func frame(plan: FeedPlan, feed name: String, context: FeedContext) -> (head: String, tail: String) {
        let publication = context.publication
        let title = Whitespace.collapsed(plan.title)
        let description = Whitespace.collapsed(publication.description)
        // An archive page's address to copy is the feed to subscribe to, as in feed.xsl.
        let address =
            plan.archive.flatMap { archive in
                archive.isArchive
                    ? archive.subscription(name == plan.files.rss ? SiteLayout.Name.rss : SiteLayout.Name.atom) : nil
            } ?? plan.fileURL(name).absoluteString
        var values: [String: Any] = [
            "language": publication.language, "labels": context.labels,
            "title": title, "site": plan.url.absoluteString, "address": address,
            "subscribe": SiteLayout(publication: publication).url(.subscribe), "style": FeedStylesheet.style,
            "entries": marker,
        ]
        if !description.isEmpty, description != title { values["tagline"] = description }
        let page = template?.render(values) ?? marker
        guard let at = page.range(of: marker) else { return (page, "") }
        return (String(page[..<at.lowerBound]), String(page[at.upperBound...]))
    }

    /// One entry as the page lists it: its title linked to the post, the day it was
    /// published (in the post's own offset, as the feed says it) and its summary.
    static func entry(_ entry: FeedEntry) -> [UInt8] {
        var html = "<article class=\"entry\">\n<h3><a href=\"\(HTMLEscaping.attribute(entry.permalink))\">"
        html += HTMLEscaping.text(entry.title) + "</a></h3>\n"
        html += "<p class=\"meta\"><time datetime=\"\(HTMLEscaping.attribute(entry.published))\">"
        html += String(entry.published.prefix(10)) + "</time></p>\n"
        let summary = Whitespace.collapsed(entry.post.summary)
        if !summary.isEmpty { html += "<p class=\"summary\">\(HTMLEscaping.text(summary))</p>\n" }
        html += "</article>\n"
        return Array(html.utf8)
    }
}
