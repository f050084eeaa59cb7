extension PostLoader: PostSource {
    public func scanMetas() -> (metas: [PostMeta], problems: [SourceProblem]) {
        let scan = scan()
        return (scan.metas, scan.problems)
    }
}
