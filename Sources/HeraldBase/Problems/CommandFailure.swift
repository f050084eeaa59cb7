/// A command that cannot go on: the exit status and the sentence that says why.
public struct CommandFailure: ExitStatusError, Sendable {
    public let exitStatus: ExitStatus
    public let description: String

    public init(_ exitStatus: ExitStatus, _ description: String) {
        self.exitStatus = exitStatus
        self.description = description
    }
}
