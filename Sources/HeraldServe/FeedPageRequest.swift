import Foundation

/// Whether a request for a feed comes from a person in a browser, who is answered with the
/// feed's HTML page, or from a feed reader, which gets the feed. A browser puts `text/html`
/// first (Chromium: `text/html,…,application/xml;q=0.9,…`); a reader names a feed type, or
/// nothing, or `*/*`. Only an HTML type ranked above every feed type picks the page, so a
/// client that asks for both alike gets the feed, which is never wrong for a reader.
enum FeedPageRequest {
    static let htmlTypes: Set<Substring> = ["text/html", "application/xhtml+xml"]
    static let feedTypes: Set<Substring> = [
        "application/atom+xml", "application/rss+xml", "application/rdf+xml", "application/xml", "text/xml",
        "application/feed+json", "application/json",
    ]

    /// `Accept` field values (a field may be given more than once).
    static func prefersPage(_ accept: [String]) -> Bool {
        var html = 0.0
        var feed = 0.0
        for value in accept {
            for item in value.split(separator: ",") {
                let parts = item.split(separator: ";")
                guard let first = parts.first else { continue }
                let type = Substring(first.trimmingCharacters(in: .whitespaces).lowercased())
                var q = 1.0
                for parameter in parts.dropFirst() {
                    let pair = parameter.split(separator: "=", maxSplits: 1)
                    if pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "q" {
                        q = Double(pair[1].trimmingCharacters(in: .whitespaces)) ?? 0
                    }
                }
                if htmlTypes.contains(type) { html = max(html, q) }
                if feedTypes.contains(type) { feed = max(feed, q) }
            }
        }
        return html > 0 && html > feed
    }
}
