import Foundation
import HeraldBase

/// Atom 1.0 (RFC 4287): text constructs of type text, html and xhtml, `xml:base`,
/// alternate and enclosure links, `media:thumbnail`.
enum AtomFeedReader {
    private static let atom: Set<String> = [FeedXMLTree.atomNamespace]

    static func read(_ feed: FeedXMLNode, url: String, base: URL?) -> IncomingFeed {
        let home = alternate(feed)
        // Entries are independent: a feed of a thousand reads on every core.
        let entries = parallelMap(feed.all("entry", in: atom)) { entry(from: $0, feedBase: base) }
        let (kept, notes) = FeedReader.uniqued(entries)
        return IncomingFeed(
            format: .atom, title: feed.child("title", in: atom).map(plainText) ?? "", link: home,
            description: feed.child("subtitle", in: atom).map(plainText) ?? "",
            language: feed.attributes["xml:lang"], author: authorName(feed), entries: kept, notes: notes)
    }

    private static func entry(from node: FeedXMLNode, feedBase: URL?) -> IncomingEntry {
        let base = node.baseURL ?? feedBase
        let title = node.child("title", in: atom).map(plainText) ?? ""
        let link = alternate(node)
        let published = node.child("published", in: atom).flatMap { FeedDate.parse($0.text) }
        let updated = node.child("updated", in: atom).flatMap { FeedDate.parse($0.text) }
        let content = node.child("content", in: atom).flatMap(html)
        let summary = node.child("summary", in: atom).flatMap(html)
        let contentBase = node.child("content", in: atom)?.baseURL ?? base
        let id =
            node.child("id", in: atom).map(\.trimmedText).flatMap { $0.isEmpty ? nil : $0 }
            ?? link?.absoluteString ?? FeedReader.contentID(title: title, text: content ?? summary ?? "")
        let tags = node.all("category", in: atom).compactMap { category -> String? in
            let name = Whitespace.collapsed(category.attributes["label"] ?? category.attributes["term"] ?? "")
            return name.isEmpty ? nil : name
        }
        let enclosure = node.all("link", in: atom).first {
            $0.attributes["rel"] == "enclosure" && ($0.attributes["type"] ?? "").hasPrefix("image/")
        }
        let cover =
            MediaCover.url(in: node, base: base)
            ?? FeedReader.webURL(enclosure?.attributes["href"], base: enclosure?.baseURL ?? base)
        let date = published ?? updated
        return IncomingEntry(
            id: id, title: title, link: link, date: date?.date, utcOffset: date?.utcOffset ?? 0, updated: updated?.date,
            author: authorName(node), tags: FeedReader.ordered(tags),
            summaryHTML: summary, contentHTML: content, cover: cover, base: contentBase)
    }

    /// The `rel="alternate"` link (or one without rel), resolved against its base.
    private static func alternate(_ node: FeedXMLNode) -> URL? {
        let links = node.all("link", in: atom)
        let chosen =
            links.first { ($0.attributes["rel"] ?? "alternate") == "alternate" && ($0.attributes["type"] ?? "text/html").contains("html") }
            ?? links.first { ($0.attributes["rel"] ?? "alternate") == "alternate" }
        return chosen.flatMap { FeedReader.webURL($0.attributes["href"], base: $0.baseURL) }
    }

    private static func authorName(_ node: FeedXMLNode) -> String? {
        guard let name = node.child("author", in: atom)?.child("name", in: atom)?.trimmedText, !name.isEmpty else { return nil }
        return Whitespace.collapsed(name)
    }

    /// A text construct as HTML: `html` is HTML already, `xhtml` its markup without the
    /// wrapping `<div>`, `text` (or none) escaped. Out-of-line content (`src`) gives nil.
    private static func html(_ node: FeedXMLNode) -> String? {
        guard node.attributes["src"] == nil else { return nil }
        switch node.attributes["type"] ?? "text" {
        case "html", "text/html": return node.text
        case "xhtml", "application/xhtml+xml": return unwrappedDiv(node.innerXML ?? "")
        case "text", "text/plain": return FeedText.html(fromText: Whitespace.trimmed(node.text))
        default: return nil
        }
    }

    private static func plainText(_ node: FeedXMLNode) -> String {
        switch node.attributes["type"] ?? "text" {
        case "html": FeedReader.plainTitle(fromHTML: node.text)
        case "xhtml": FeedReader.plainTitle(fromHTML: unwrappedDiv(node.innerXML ?? ""))
        default: Whitespace.collapsed(node.text)
        }
    }

    /// The content of the `<div>` an xhtml construct must wrap its markup in.
    private static func unwrappedDiv(_ xml: String) -> String {
        let trimmed = Whitespace.trimmed(xml)
        guard trimmed.hasPrefix("<"), let open = trimmed.firstIndex(of: ">"),
            trimmed[trimmed.startIndex..<open].contains("div"), let close = trimmed.range(of: "</", options: .backwards),
            close.lowerBound > open
        else { return trimmed }
        return String(trimmed[trimmed.index(after: open)..<close.lowerBound])
    }
}

/// `media:thumbnail`, or `media:content` of an image, as a cover (Media RSS).
enum MediaCover {
    static let namespaces: Set<String> = ["http://search.yahoo.com/mrss/", "http://search.yahoo.com/mrss"]

    static func url(in node: FeedXMLNode, base: URL?) -> URL? {
        if let thumbnail = node.child("thumbnail", in: namespaces)
            ?? node.child("group", in: namespaces)?.child("thumbnail", in: namespaces),
            let url = FeedReader.webURL(thumbnail.attributes["url"], base: base)
        {
            return url
        }
        let image = node.all("content", in: namespaces).first {
            $0.attributes["medium"] == "image" || ($0.attributes["type"] ?? "").hasPrefix("image/")
        }
        return FeedReader.webURL(image?.attributes["url"], base: base)
    }
}
