import HeraldBase

/// A document that is not a feed Herald can read, with where it came from and, when the
/// XML parser says, the line.
public struct FeedReadError: ExitStatusError, Sendable, Equatable {
    public let source: String
    public let line: Int?
    public let message: String

    init(_ source: String, line: Int? = nil, _ message: String) {
        self.source = source
        self.line = line
        self.message = message
    }

    public var description: String { "\(source)\(line.map { ":\($0)" } ?? ""): \(message)" }
    public var exitStatus: ExitStatus { .dataError }
}
