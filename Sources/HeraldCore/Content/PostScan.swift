/// What `PostLoader.scan()` found: the front matter of every good post, and every problem.
public struct PostScan: Sendable {
    /// Newest first; equal dates by source path, so runs are deterministic.
    public let metas: [PostMeta]
    /// Sorted by path, then line.
    public let problems: [SourceProblem]

    public init(metas: [PostMeta], problems: [SourceProblem]) {
        self.metas = metas.sorted { $0.date != $1.date ? $0.date > $1.date : $0.source < $1.source }
        self.problems = problems.sortedByLocation()
    }
}

extension Array where Element == SourceProblem {
    /// By path, then line (file-wide problems first), then message: the order a reader
    /// fixes them in, and the same on every run.
    public func sortedByLocation() -> [SourceProblem] {
        sorted { ($0.path, $0.line ?? 0, $0.message) < ($1.path, $1.line ?? 0, $1.message) }
    }
}
