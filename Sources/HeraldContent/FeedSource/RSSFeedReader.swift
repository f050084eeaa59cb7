import Foundation
import HeraldBase

/// RSS 2.0 and 0.9x (`<rss><channel><item>`) and RSS 1.0 / 0.90 (RDF: items beside the
/// channel), with the modules feeds use for what RSS lacks: `content:encoded`, Dublin
/// Core's date, creator and subject, Media RSS thumbnails.
enum RSSFeedReader {
    static let rdfNamespace = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    static let rdfFeedNamespaces: Set<String> = ["http://purl.org/rss/1.0/", "http://my.netscape.com/rdf/simple/0.9/"]
    private static let contentNamespace: Set<String> = ["http://purl.org/rss/1.0/modules/content/"]
    private static let dublinCore: Set<String> = ["http://purl.org/dc/elements/1.1/"]

    static func read(
        channel: FeedXMLNode, items: [FeedXMLNode], format: IncomingFeed.Format, url: String, base: URL?
    ) -> IncomingFeed {
        let own: Set<String> = format == .rss1 ? rdfFeedNamespaces : [""]
        let home = FeedReader.webURL(channel.child("link", in: own)?.text, base: base)
        // Entries are independent: a feed of a thousand reads on every core.
        let entries = parallelMap(items) { entry(from: $0, own: own, home: home, feedBase: base) }
        let (kept, notes) = FeedReader.uniqued(entries)
        let language = channel.child("language", in: own)?.trimmedText ?? channel.child("language", in: dublinCore)?.trimmedText
        return IncomingFeed(
            format: format, title: FeedReader.plainTitle(fromHTML: channel.child("title", in: own)?.text ?? ""), link: home,
            description: FeedReader.plainTitle(fromHTML: channel.child("description", in: own)?.text ?? ""),
            language: language.flatMap { $0.isEmpty ? nil : $0 },
            author: channel.child("creator", in: dublinCore).map { Whitespace.collapsed($0.text) }, entries: kept, notes: notes)
    }

    private static func entry(from item: FeedXMLNode, own: Set<String>, home: URL?, feedBase: URL?) -> IncomingEntry {
        let itemBase = item.baseURL ?? feedBase
        let title = FeedReader.plainTitle(fromHTML: item.child("title", in: own)?.text ?? "")
        let guid = item.child("guid", in: own)
        let guidText = guid.map(\.trimmedText).flatMap { $0.isEmpty ? nil : $0 }
        // A guid is a permalink unless it says isPermaLink="false"; it is the link only
        // when the item has none (parsed only then: a URL costs a microsecond an entry).
        let link =
            FeedReader.webURL(item.child("link", in: own)?.text, base: home ?? itemBase)
            ?? (guid?.attributes["isPermaLink"] == "false" ? nil : FeedReader.webURL(guidText, base: nil))
        let description = item.child("description", in: own)?.text
        let encoded = item.child("encoded", in: contentNamespace)?.text
        let content = nonEmpty(encoded) ?? nonEmpty(description)
        let summary = nonEmpty(encoded) != nil ? nonEmpty(description) : nil
        let id =
            guidText ?? nonEmpty(item.attributes["about"]) ?? link?.absoluteString
            ?? FeedReader.contentID(title: title, text: content ?? "")
        let date = (item.child("pubDate", in: own) ?? item.child("date", in: dublinCore)).flatMap { FeedDate.parse($0.text) }
        let author =
            (item.child("creator", in: dublinCore) ?? item.child("author", in: own)).map { Whitespace.collapsed($0.text) }
            .flatMap { $0.isEmpty ? nil : $0 }
        let tags = (item.all("category", in: own) + item.all("subject", in: dublinCore)).map { Whitespace.collapsed($0.text) }
            .filter { !$0.isEmpty }
        let enclosure = item.all("enclosure", in: own).first { ($0.attributes["type"] ?? "").hasPrefix("image/") }
        let cover = MediaCover.url(in: item, base: link ?? home) ?? FeedReader.webURL(enclosure?.attributes["url"], base: link ?? home)
        return IncomingEntry(
            id: id, title: title, link: link, date: date?.date, utcOffset: date?.utcOffset ?? 0, updated: nil, author: author,
            tags: FeedReader.ordered(tags), summaryHTML: summary, contentHTML: content, cover: cover,
            base: item.base != nil && item.base != feedBase?.absoluteString ? itemBase : (link ?? home ?? itemBase))
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !Whitespace.trimmed(text).isEmpty else { return nil }
        return text
    }
}
