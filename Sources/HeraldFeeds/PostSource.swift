import HeraldBase
import HeraldContent

/// What `FeedBuilder` needs from the content loader: the metadata of every post first
/// (cheap: the builder picks the feeds' posts from it), then Markdown rendered only for
/// the posts a feed carries. `PostLoader` is the real one; tests use posts in memory.
public protocol PostSource: Sendable {
    /// Every post's front matter, newest first; unreadable posts become problems.
    func scanMetas() -> PostScan
    /// The posts for `metas`, in the same order; posts that fail become problems.
    /// Feeds read `html` and `summary` only, so `text` may be left empty.
    func renderForFeeds(_ metas: [PostMeta]) -> (posts: [Post], problems: [SourceProblem])
}

/// A source that can scan the files the builder's fingerprint check has just listed and
/// stamped, rather than walk the folder a second time.
protocol ListedPostSource: PostSource {
    func scanMetas(listing: PostFiles.Listing, stamps: [FileStamp]) -> PostScan
    /// A file's path as its post's `source` names it.
    func shownPath(_ path: String) -> String
    /// The file a post's `source` names: `shownPath` undone.
    func filePath(_ shown: String) -> String
}
