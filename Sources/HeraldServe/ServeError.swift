import HeraldBase

/// What stops `herald serve` before it listens, said so the operator can fix it.
public struct ServeError: ExitStatusError, Sendable {
    public let message: String
    public let status: ExitStatus
    public var description: String { message }
    public var exitStatus: ExitStatus { status }
}
