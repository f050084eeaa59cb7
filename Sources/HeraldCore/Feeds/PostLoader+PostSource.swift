extension PostLoader: PostSource {
    public func scanMetas() -> (metas: [PostMeta], problems: [SourceProblem]) {
        let scan = scan()
        return (scan.metas, scan.problems)
    }

    public func renderForFeeds(_ metas: [PostMeta]) -> (posts: [Post], problems: [SourceProblem]) {
        render(metas, parts: .web)
    }
}
