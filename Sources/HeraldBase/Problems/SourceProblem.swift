/// One thing wrong with an input file, said the way compilers say it:
/// `feeds/example/posts/2024-05-03-weekly.md:3: date "2024-02-30" is not a real day`.
public struct SourceProblem: ExitStatusError, Sendable, Hashable {
    /// Path as the user gave it (relative paths stay relative).
    public let path: String
    /// 1-based line, or nil when the problem belongs to the whole file.
    public let line: Int?
    public let message: String

    public init(path: String, line: Int? = nil, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(path):\(line): \(message)" }
        return "\(path): \(message)"
    }

    /// A problem in a post or a subscriber file is bad content.
    public var exitStatus: ExitStatus { .dataError }
}

extension Sequence<SourceProblem> {
    /// By path, then line (file-wide problems first), then message: the order a reader
    /// fixes them in, and the same on every run.
    public func sortedByLocation() -> [SourceProblem] {
        sorted { ($0.path, $0.line ?? 0, $0.message) < ($1.path, $1.line ?? 0, $1.message) }
    }
}

/// Every problem found at once, one per line, so `herald check` reports all of them and
/// not the first: `herald.yml:3: unknown key "titel"` and `herald.yml: missing required key "title"`.
public struct SourceProblems: ExitStatusError, Sendable, Equatable {
    public let problems: [SourceProblem]
    public let exitStatus: ExitStatus

    public init(_ problems: [SourceProblem], exitStatus: ExitStatus) {
        self.problems = problems.sortedByLocation()
        self.exitStatus = exitStatus
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
