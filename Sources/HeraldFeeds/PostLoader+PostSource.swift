import HeraldBase
import HeraldContent

/// The builder waits for the scan cache's write before it returns (`PostScan.cacheWrite`),
/// so the write goes on while it plans, renders and commits.
extension PostLoader: PostSource, ListedPostSource {
    func scanMetas(listing: PostFiles.Listing, stamps: [FileStamp]) -> PostScan {
        var loader = self
        loader.writesCacheInBackground = true
        return loader.scan(listing: listing, stamps: stamps)
    }

    public func scanMetas() -> PostScan {
        var loader = self
        loader.writesCacheInBackground = true
        return loader.scan()
    }

    public func renderForFeeds(_ metas: [PostMeta]) -> (posts: [Post], problems: [SourceProblem]) {
        render(metas, parts: .web)
    }
}
