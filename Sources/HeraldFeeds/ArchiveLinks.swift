import Foundation

/// RFC 5005 ("Feed Paging and Archiving") links of the publication's feed and of its
/// archive pages: page 1 holds the oldest posts; every page but the newest is full and
/// never changes again, so caches may keep it forever.
struct ArchiveLinks: Sendable {
    /// Where the subscription feed lives (the publication's folder URL).
    let current: URL
    /// The archive folder's URL (`…/archive/`).
    let folder: URL
    /// Whether this document is an archive page (`fh:archive`), not the subscription feed.
    let isArchive: Bool
    /// The older page (required on every page but the first), and the newer one.
    let prev: Int?
    let next: Int?

    static let historyNamespace = "http://purl.org/syndication/history/1.0"

    /// An archive page's file (it always has an Atom and an RSS one).
    func page(_ page: Int, _ name: (FeedFiles) -> String?) -> String {
        URL(string: name(.archivePage(page)) ?? "", relativeTo: folder)!.absoluteString
    }

    func subscription(_ name: String) -> String {
        URL(string: name, relativeTo: current)!.absoluteString
    }
}
