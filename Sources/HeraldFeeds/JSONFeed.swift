import Foundation
import HeraldBase
import HeraldConfig
import HeraldContent

/// A JSON Feed 1.1 document (https://www.jsonfeed.org/version/1.1/) without its items:
/// `JSONFeedWriter` streams those in between the other keys.
struct JSONFeed: Encodable {
    static let version = "https://jsonfeed.org/version/1.1"

    let version = JSONFeed.version
    let title: String
    let homePageURL: String
    let feedURL: String
    let description: String?
    let language: String
    let authors: [JSONFeedAuthor]
    let hubs: [JSONFeedHub]?
    let items: [JSONFeedItem] = []

    enum CodingKeys: String, CodingKey {
        case version, title, description, language, authors, hubs, items
        case homePageURL = "home_page_url"
        case feedURL = "feed_url"
    }

    /// Sorted keys and no spaces: the same feed always gives the same bytes, and the items
    /// (one object each, encoded the same way) can be placed between `[` and `]`.
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

/// An entry of `hubs`: where to subscribe for pushed updates.
struct JSONFeedHub: Encodable {
    let type = "WebSub"
    let url: String
}

/// `authors` in a feed or an item.
struct JSONFeedAuthor: Encodable {
    let name: String
    let url: String?

    init(_ person: Person) {
        name = Whitespace.collapsed(person.name)
        url = person.uri.flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// One post as a JSON Feed item.
struct JSONFeedItem: Encodable {
    let id: String
    let url: String
    let title: String
    /// The full HTML; nil when `feeds.content` is `summary` (then `contentText` carries
    /// the summary, as the spec asks for one of the two).
    let contentHTML: String?
    let contentText: String?
    let summary: String?
    let image: String?
    let datePublished: String
    let dateModified: String
    /// Categories, then tags, as in the Atom and RSS entries; each name once.
    let tags: [String]?
    let authors: [JSONFeedAuthor]

    enum CodingKeys: String, CodingKey {
        case id, url, title, summary, image, tags, authors
        case contentHTML = "content_html"
        case contentText = "content_text"
        case datePublished = "date_published"
        case dateModified = "date_modified"
    }

    init(_ entry: FeedEntry, context: FeedContext) {
        let post = entry.post
        id = entry.id
        url = entry.permalink
        title = entry.title
        let full = context.content == .full
        contentHTML = entry.safeHTML?.html
        contentText = full ? nil : post.summary
        summary = post.summary.isEmpty ? nil : post.summary
        image = entry.cover
        datePublished = entry.published
        dateModified = entry.updated
        var seen = Set<String>()
        let names = (post.categories + post.tags).map(Whitespace.collapsed).filter { seen.insert($0).inserted }
        tags = names.isEmpty ? nil : names
        authors = [JSONFeedAuthor(entry.author)]
    }

    /// The item's bytes, made once and copied into every feed that carries the post.
    func encoded() -> [UInt8] {
        // A failure here would be a bug (strings and arrays always encode); an empty
        // object keeps the document valid and the entry visibly wrong.
        (try? [UInt8](JSONFeed.encoder().encode(self))) ?? Array("{}".utf8)
    }
}
