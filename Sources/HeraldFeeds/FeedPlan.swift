import Foundation
import HeraldContent

/// One feed to publish (the publication's, a tag's, a category's, or a page of the
/// publication's archive) and the posts it carries, newest first. Its Atom, RSS and
/// (except for archive pages) JSON Feed files are written from it.
struct FeedPlan: Sendable {
    let title: String
    /// Folder relative to the output folder: `""`, `tags/开源之夏`, `archive`.
    let directory: String
    /// Absolute URL of the folder (percent-encoded), ending in `/`.
    let folderURL: URL
    /// The HTML page the feed stands for (`rel="alternate"`): the folder's, or the
    /// publication's for an archive page.
    let url: URL
    /// Newest first, at most `feeds.entries` (all when 0); an archive page's posts.
    let entries: [PostMeta]
    let files: FeedFiles
    /// RFC 5005 links: on the publication's feed when it has an archive, and on every page.
    let archive: ArchiveLinks?
    /// Whose `updated` an empty feed takes: for the empty archive page after a full one,
    /// that page's newest post (the empty page came to be with it).
    let emptySince: PostMeta?

    init(
        title: String, directory: String, url: URL, entries: [PostMeta], folderURL: URL? = nil,
        files: FeedFiles = .standard, archive: ArchiveLinks? = nil, emptySince: PostMeta? = nil
    ) {
        self.title = title
        self.directory = directory
        self.url = url
        self.folderURL = folderURL ?? url
        self.entries = entries
        self.files = files
        self.archive = archive
        self.emptySince = emptySince
    }

    func fileURL(_ name: String) -> URL { URL(string: name, relativeTo: folderURL)!.absoluteURL }
    func path(_ name: String) -> String { directory.isEmpty ? name : directory + "/" + name }

    /// The newest `updated` among the entries, in that entry's own offset. A feed's date
    /// comes from its posts, never from the clock, so rebuilding gives the same bytes; an
    /// empty feed says `emptySince`'s date, or 1970-01-01T00:00:00Z, for the same reason.
    var updated: (date: Date, offset: Int) {
        guard let newest = entries.max(by: { $0.entryUpdated < $1.entryUpdated }) ?? emptySince else {
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
