import Foundation

/// Another site's feed as read: what Herald needs from Atom, RSS or JSON Feed, with
/// the formats' differences gone. Entries keep the feed's order.
public struct IncomingFeed: Sendable, Hashable {
    public enum Format: String, Sendable, Hashable {
        case atom = "Atom 1.0"
        case rss2 = "RSS 2.0"
        case rss1 = "RSS 1.0"
        case jsonFeed = "JSON Feed"
    }

    public let format: Format
    public let title: String
    /// The site's home page (Atom's alternate link, RSS's channel link, JSON Feed's home_page_url).
    public let link: URL?
    public let description: String
    /// As the feed declares it (`xml:lang`, `<language>`, `language`), unchecked.
    public let language: String?
    public let author: String?
    public let entries: [IncomingEntry]
    /// What is odd but not fatal, one line each (entries sharing an id).
    public let notes: [String]
}

/// One entry of a feed, normalized. HTML fields are raw: the post's sanitizer runs later,
/// as for a Markdown post.
public struct IncomingEntry: Sendable, Hashable {
    /// Atom's id, RSS's guid, RDF's about, JSON Feed's id; else the link; else a hash of
    /// the title and text, so an entry without either keeps one id from fetch to fetch.
    public let id: String
    /// Plain text: markup in a title is left out, as Herald's own feeds do.
    public let title: String
    public let link: URL?
    /// When it was published, with the UTC offset it was written with; nil when the feed
    /// gives no date (the time Herald first saw the entry stands in).
    public let date: Date?
    public let utcOffset: Int
    public let updated: Date?
    public let author: String?
    public let tags: [String]
    public let summaryHTML: String?
    public let contentHTML: String?
    /// An image enclosure, `media:thumbnail` or JSON Feed's `image`.
    public let cover: URL?
    /// What relative URLs in the entry's HTML resolve against (`xml:base`, else the feed's address).
    let base: URL?
}
