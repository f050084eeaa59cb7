import Foundation
import HeraldBase

/// JSON Feed 1.0 and 1.1: `content_html` or `content_text`, `summary`, `image`, `tags`,
/// `author` (1.0) or `authors` (1.1); an `id` written as a number is read as its text.
enum JSONFeedReader {
    static func read(_ bytes: [UInt8], url: String) throws(FeedReadError) -> IncomingFeed {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: Data(bytes)) } catch {
            throw FeedReadError(url, "not a feed: the JSON is broken (\(error.localizedDescription))")
        }
        guard let feed = object as? [String: Any], let version = feed["version"] as? String,
            version.hasPrefix("https://jsonfeed.org/version/") || version.hasPrefix("http://jsonfeed.org/version/")
        else {
            throw FeedReadError(url, "not a feed: JSON without a JSON Feed \"version\" (https://jsonfeed.org/version/1.1)")
        }
        guard let items = feed["items"] as? [Any] else { throw FeedReadError(url, "not a feed: JSON Feed without \"items\"") }
        let documentBase = URL(string: url)
        let home = FeedReader.webURL(feed["home_page_url"] as? String, base: documentBase)
        let feedAuthor = author(feed)
        let entries = items.compactMap { $0 as? [String: Any] }.map { entry(from: $0, base: home ?? documentBase) }
        let (kept, notes) = FeedReader.uniqued(entries)
        return IncomingFeed(
            format: .jsonFeed, title: Whitespace.collapsed(feed["title"] as? String ?? ""), link: home,
            description: Whitespace.collapsed(feed["description"] as? String ?? ""), language: feed["language"] as? String,
            author: feedAuthor, entries: kept, notes: notes)
    }

    private static func entry(from item: [String: Any], base: URL?) -> IncomingEntry {
        let title = FeedReader.plainTitle(fromHTML: item["title"] as? String ?? "")
        let link = FeedReader.webURL(item["url"] as? String, base: base) ?? FeedReader.webURL(item["external_url"] as? String, base: base)
        let content =
            (item["content_html"] as? String).flatMap { $0.isEmpty ? nil : $0 }
            ?? (item["content_text"] as? String).map { FeedText.html(fromText: $0) }
        let summary = (item["summary"] as? String).flatMap { $0.isEmpty ? nil : HTMLEscaping.text($0) }
        let idValue = item["id"]
        let id =
            (idValue as? String).flatMap { $0.isEmpty ? nil : $0 } ?? (idValue as? NSNumber)?.stringValue
            ?? link?.absoluteString ?? FeedReader.contentID(title: title, text: content ?? summary ?? "")
        let published = (item["date_published"] as? String).flatMap(FeedDate.parse)
        let modified = (item["date_modified"] as? String).flatMap(FeedDate.parse)
        let date = published ?? modified
        let tags = (item["tags"] as? [Any] ?? []).compactMap { $0 as? String }.map(Whitespace.collapsed).filter { !$0.isEmpty }
        let cover =
            FeedReader.webURL(item["image"] as? String, base: base) ?? FeedReader.webURL(item["banner_image"] as? String, base: base)
        return IncomingEntry(
            id: id, title: title, link: link, date: date?.date, utcOffset: date?.utcOffset ?? 0, updated: modified?.date,
            author: author(item), tags: FeedReader.ordered(tags), summaryHTML: summary, contentHTML: content, cover: cover,
            base: link ?? base)
    }

    /// 1.1's first of `authors`, else 1.0's `author`.
    private static func author(_ object: [String: Any]) -> String? {
        let first = (object["authors"] as? [Any])?.first as? [String: Any] ?? object["author"] as? [String: Any]
        guard let name = (first?["name"] as? String).map(Whitespace.collapsed), !name.isEmpty else { return nil }
        return name
    }
}
