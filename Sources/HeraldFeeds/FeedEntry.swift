import FoundationEssentials
import HeraldBase
import HeraldConfig
import HeraldContent

/// One post as the feeds write it: dates formatted and long text escaped once, then
/// shared by the Atom and RSS writers of every feed that carries the post.
struct FeedEntry: Sendable {
    let post: Post
    let permalink: String
    /// The entry's id: its permalink, or for a post of another site's feed that feed's own
    /// id, so a reader who follows both sees one entry, not two. Atom's id must be an
    /// absolute IRI: a source id that is not one (an RSS guid "42") gives way to the link.
    let id: String
    let title: String
    /// The title as RSS plain text, tags left out (see `TagFreeText`, `EscapedText(rssPlainText:)`).
    let rssTitle: EscapedText
    let rssCategories: [EscapedText]
    let rssTags: [EscapedText]
    let author: Person
    /// RFC 3339 for Atom.
    let published: String
    let updated: String
    /// RFC 822 for RSS.
    let pubDate: String
    /// Atom `summary`: the plain-text summary, as HTML when it contains `<` (see `AtomText`);
    /// a manual summary (`<!--more-->`) is HTML, sanitized as the content is, so it keeps
    /// its headings, lists and tables.
    let summary: AtomText
    /// RSS `description` is read as HTML, so the plain summary is HTML-escaped first
    /// (`a < b` must not open a tag), then XML-escaped like any text; a manual summary is
    /// its sanitized HTML, XML-escaped.
    let description: EscapedText
    /// The post's HTML through the sanitizer (the mail's allow-list, unstyled), or nil
    /// when `feeds.content` is `summary`: no feed carries a script, a frame or a handler.
    let safeHTML: SafeHTML?
    /// `safeHTML` XML-escaped, for Atom `content` and RSS `content:encoded`.
    let html: EscapedText?
    /// The cover image, if its URL is one an `<img>` may carry.
    let cover: String?

    init(_ post: Post, context: FeedContext) {
        self.post = post
        permalink = post.meta.permalinkText
        id = context.publication.source != nil && URL(string: post.source)?.scheme != nil ? post.source : permalink
        title = Whitespace.collapsed(post.title)
        rssTitle = EscapedText(rssPlainText: TagFreeText.of(title))
        rssCategories = post.categories.map { EscapedText(rssPlainText: TagFreeText.of($0)) }
        rssTags = post.tags.map { EscapedText(rssPlainText: TagFreeText.of($0)) }
        let sanitizer = HTMLSanitizer(base: post.permalink, presentation: .feed)
        // Front matter URLs go through the same scheme check as links in the post.
        var author = context.author(of: post)
        author.uri = author.uri.flatMap { sanitizer.safeURL($0, image: false) }
        self.author = author
        published = InternetDates.rfc3339(post.date, offset: post.utcOffset)
        updated = InternetDates.rfc3339(post.meta.entryUpdated, offset: post.utcOffset)
        pubDate = InternetDates.rfc822(post.date, offset: post.utcOffset)
        if let manual = post.manualSummary {
            // Only posts cut with <!--more-->, and only their head: inert HTML skips the sanitizer.
            description = EscapedText(manual.safeHTML(sanitizer).html)
            summary = AtomText(description, isHTML: true)
        } else {
            description = EscapedText(HTMLEscaping.text(post.summary))
            summary =
                post.summary.contains(ascii: "<")
                ? AtomText(description, isHTML: true)
                : AtomText(EscapedText(post.summary), isHTML: false)
        }
        safeHTML = context.content != .full ? nil : post.safeHTML(sanitizer)
        html = safeHTML.map { EscapedText($0.html) }
        cover = post.meta.coverText.flatMap { sanitizer.safeURL($0, image: true) }
    }
}

/// One post's Atom `<entry>` and RSS `<item>` as libxml2 writes them, and its JSON Feed
/// item, made once on a render thread and then copied into every feed that carries the
/// post (the publication's, its category's and its tags': three or more), instead of
/// being written, escaped and indented again for each of them.
struct FeedEntryXML: Sendable {
    /// The post's source path, which says which feeds carry it.
    let source: String
    let atom: XMLFragment
    let rss: XMLFragment
    let json: [UInt8]
    /// The post as the feeds' HTML pages list it (`FeedPage`); empty when there are none.
    let page: [UInt8]

    init(source: String, atom: XMLFragment, rss: XMLFragment, json: [UInt8], page: [UInt8]) {
        self.source = source
        self.atom = atom
        self.rss = rss
        self.json = json
        self.page = page
    }

    init(_ entry: FeedEntry, context: FeedContext) {
        source = entry.post.source
        // The HTML and room for the rest (1 to 2 KB).
        let capacity = (entry.html?.count ?? 0) + 4096
        atom = XMLWriter.fragment(depth: AtomWriter.entryDepth, capacity: capacity) {
            AtomWriter.entry(entry, context: context, to: $0)
        }
        rss = XMLWriter.fragment(depth: RSSWriter.itemDepth, capacity: capacity) {
            RSSWriter.item(entry, context: context, to: $0)
        }
        // Only when the feeds carry JSON: encoding is a pass over the whole HTML.
        json = context.publication.feeds.json ? JSONFeedItem(entry, context: context).encoded() : []
        page = context.publication.feeds.stylesheet ? FeedPage.entry(entry) : []
    }
}
