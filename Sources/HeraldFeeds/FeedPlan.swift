import Foundation
import HeraldContent

/// One feed folder to publish (the publication's, a tag's or a category's) and the
/// posts it carries, newest first. `atom.xml`, `rss.xml` and `feed.json` are written from it.
struct FeedPlan: Sendable {
    let title: String
    /// Folder relative to the output folder: `""`, `tags/开源之夏`.
    let directory: String
    /// Absolute URL of the folder (percent-encoded), ending in `/`.
    let url: URL
    /// Newest first, at most `feeds.entries` (all when 0).
    let entries: [PostMeta]

    func fileURL(_ name: String) -> URL { URL(string: name, relativeTo: url)!.absoluteURL }
    func path(_ name: String) -> String { directory.isEmpty ? name : directory + "/" + name }

    /// The newest `updated` among the entries, in that entry's own offset. A feed's date
    /// comes from its posts, never from the clock, so rebuilding gives the same bytes; an
    /// empty feed says 1970-01-01T00:00:00Z for the same reason.
    var updated: (date: Date, offset: Int) {
        guard let newest = entries.max(by: { $0.entryUpdated < $1.entryUpdated }) else {
            return (Date(timeIntervalSince1970: 0), 0)
        }
        return (newest.entryUpdated, newest.utcOffset)
    }
}

extension PostMeta {
    /// `updated`, but never before `date`: a `lastmod` older than the post is a typo, and
    /// readers sort by it.
    var entryUpdated: Date { max(updated, date) }
}
