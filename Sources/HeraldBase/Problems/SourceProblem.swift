/// One thing wrong with an input file, said the way compilers say it:
/// `feeds/example/posts/2024-05-03-weekly.md:3: date "2024-02-30" is not a real day`.
public struct SourceProblem: Error, Sendable, Hashable, CustomStringConvertible {
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
}

/// Several problems at once: `herald check` reports every one, not the first.
public struct SourceProblems: Error, Sendable, CustomStringConvertible {
    public let problems: [SourceProblem]
    public init(_ problems: [SourceProblem]) { self.problems = problems }
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
