import HeraldBase
import HeraldContent

extension PostLoader: PostSource {
    public func scanMetas() -> PostScan { scan() }

    public func renderForFeeds(_ metas: [PostMeta]) -> (posts: [Post], problems: [SourceProblem]) {
        render(metas, parts: .web)
    }
}
