import HeraldBase
import HeraldContent
import HeraldFeeds

/// Another site's feed, read, as the posts the feed builder writes: the same entries,
/// links and ids a digest of it would hold.
struct FeedSourceEntries: PostSource {
    let loaded: FeedSourcePosts.Loaded

    func scanMetas() -> PostScan { PostScan(metas: loaded.metas, problems: []) }

    func renderForFeeds(_ metas: [PostMeta]) -> (posts: [Post], problems: [SourceProblem]) {
        (loaded.posts(withIDs: metas.map(\.source)), [])
    }
}
