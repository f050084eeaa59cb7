import HeraldBase
import HeraldContent

extension PostLoader: PostSource, ListedPostSource {
    func scanMetas(listing: PostFiles.Listing, stamps: [FileStamp]) -> PostScan { scan(listing: listing, stamps: stamps) }

    public func scanMetas() -> PostScan { scan() }

    public func renderForFeeds(_ metas: [PostMeta]) -> (posts: [Post], problems: [SourceProblem]) {
        render(metas, parts: .web)
    }
}
