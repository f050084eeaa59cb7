import Foundation
import HeraldBase

/// Another site's feed → `IncomingFeed`: Atom 1.0, RSS 2.0 and 0.9x, RSS 1.0 (RDF) and JSON
/// Feed 1.0/1.1, told apart by their content, not by the server's Content-Type.
public enum FeedReader {
    /// Documents larger than this are refused before parsing.
    public static let defaultMaxBytes = 16 << 20

    /// `url` names the document in errors and is the base for relative URLs.
    public static func read(_ bytes: [UInt8], url: String, maxBytes: Int = defaultMaxBytes) throws(FeedReadError) -> IncomingFeed {
        guard bytes.count <= maxBytes else {
            throw FeedReadError(url, "the feed is larger than \(BoundedRead.size(maxBytes)): refused")
        }
        // UTF-16 (its byte order mark first) is XML's to decode; only XML may be written in it here.
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            return try xmlFeed(bytes, url: url)
        }
        var start = bytes.startIndex
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start += 3 }
        while start < bytes.endIndex, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[start]) { start += 1 }
        guard start < bytes.endIndex else { throw FeedReadError(url, "not a feed: the document is empty") }
        if bytes[start] == UInt8(ascii: "{") { return try JSONFeedReader.read(Array(bytes[start...]), url: url) }
        let head = String(decoding: bytes[start..<min(bytes.endIndex, start + 512)], as: UTF8.self).lowercased()
        if head.hasPrefix("<!doctype html") || head.hasPrefix("<html") {
            throw FeedReadError(url, line: 1, "not a feed: this is an HTML page; give source: the address of the site's feed")
        }
        guard bytes[start] == UInt8(ascii: "<") else {
            throw FeedReadError(url, line: 1, "not a feed: neither XML (Atom, RSS) nor JSON Feed")
        }
        return try xmlFeed(bytes, url: url)
    }

    private static func xmlFeed(_ bytes: [UInt8], url: String) throws(FeedReadError) -> IncomingFeed {
        let root = try FeedXMLTree.parse(bytes, url: url)
        let feed = try xmlFeed(root, url: url)
        // The entries hold strings, not nodes: the tree (a node per element and text of a
        // feed of thousands of entries) is freed on another thread.
        releaseInBackground(consume root)
        return feed
    }

    private static func xmlFeed(_ root: FeedXMLNode, url: String) throws(FeedReadError) -> IncomingFeed {
        let base = URL(string: url)
        switch (root.name, root.namespace) {
        case ("feed", FeedXMLTree.atomNamespace):
            return AtomFeedReader.read(root, url: url, base: base)
        case ("rss", ""):
            guard let channel = root.child("channel", in: [""]) else {
                throw FeedReadError(url, "not a feed: <rss> has no <channel>")
            }
            return RSSFeedReader.read(channel: channel, items: channel.all("item", in: [""]), format: .rss2, url: url, base: base)
        case ("RDF", RSSFeedReader.rdfNamespace):
            let namespaces = RSSFeedReader.rdfFeedNamespaces
            guard let channel = root.child("channel", in: namespaces) else {
                throw FeedReadError(url, "not a feed: <rdf:RDF> has no RSS 1.0 <channel>")
            }
            return RSSFeedReader.read(
                channel: channel, items: root.all("item", in: namespaces) + channel.all("item", in: namespaces), format: .rss1,
                url: url, base: base)
        case ("html", _):
            throw FeedReadError(url, line: 1, "not a feed: this is an HTML page; give source: the address of the site's feed")
        default:
            throw FeedReadError(
                url, line: 1,
                "not a feed: the document is <\(root.name)>, not Atom's <feed>, RSS's <rss> or RSS 1.0's <rdf:RDF>")
        }
    }

    /// Entries whose id an earlier entry has: the first (topmost) kept, one note per id.
    static func uniqued(_ entries: [IncomingEntry]) -> (entries: [IncomingEntry], notes: [String]) {
        // Most feeds repeat no id: then the array is kept as it is, not copied entry by entry.
        var ids = Set<String>(minimumCapacity: entries.count)
        guard !entries.allSatisfy({ ids.insert($0.id).inserted }) else { return (entries, []) }
        var seen = Set<String>()
        var notes: [String] = []
        var kept: [IncomingEntry] = []
        for entry in entries {
            if seen.insert(entry.id).inserted {
                kept.append(entry)
            } else {
                notes.append("two entries have the id \(entry.id.debugDescription): the first is kept")
            }
        }
        return (kept, notes)
    }

    /// An id for an entry that has neither id nor link: FNV-1a of its title and text, the
    /// same on every fetch while the entry is unchanged.
    static func contentID(title: String, text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in title.utf8 + [0] + text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return "herald:content:" + String(hash, radix: 16)
    }

    /// An absolute http(s) URL from `raw`, resolved against `base`; nil for anything else.
    static func webURL(_ raw: String?, base: URL?) -> URL? {
        guard let raw = raw.map(Whitespace.trimmed), !raw.isEmpty else { return nil }
        let encoded = percentEncoded(raw)
        guard let url = URL(string: encoded, relativeTo: base)?.absoluteURL,
            let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil
        else { return nil }
        return url
    }

    /// `raw` with what a URL may not hold as such percent-encoded. Most links need nothing;
    /// they skip Foundation's encoder, which copies every string through NSString.
    static func percentEncoded(_ raw: String) -> String {
        if raw.utf8.allSatisfy(isAllowedInURL) { return raw }
        return raw.addingPercentEncoding(withAllowedCharacters: allowedInURL) ?? raw
    }

    /// The bytes `allowedInURL` holds.
    private static func isAllowedInURL(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x22, 0x3C, 0x3E, 0x5C, 0x5E, 0x60, 0x7B, 0x7C, 0x7D: false // " < > \ ^ ` { | }
        default: byte >= 0x21 && byte <= 0x7E
        }
    }

    static let allowedInURL: CharacterSet = {
        var set = CharacterSet(charactersIn: Unicode.Scalar(0x21)...Unicode.Scalar(0x7E))
        set.remove(charactersIn: "\"<>\\^`{|} ")
        return set
    }()

    /// Order kept, repeats dropped.
    static func ordered(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }

    /// Plain text for a title given as HTML (tags left out, entities decoded, one line).
    static func plainTitle(fromHTML html: String) -> String {
        Whitespace.collapsed(FeedText.flat(html))
    }
}
