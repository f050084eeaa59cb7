/// A failure that is a sentence and an exit status and nothing else: what a command, a
/// send or the server says when it cannot go on and no typed error names the problem.
/// The sentence is printed as it is; an empty one means the failure was reported already,
/// line by line as it happened, and only its status is left to give.
public struct Failure: ExitStatusError, Sendable, Equatable {
    public let status: ExitStatus
    public let message: String

    public init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    /// A failure already reported: nothing more to print.
    public init(exitStatus: ExitStatus) {
        self.init(exitStatus, "")
    }

    public var exitStatus: ExitStatus { status }
    public var description: String { message }
}
