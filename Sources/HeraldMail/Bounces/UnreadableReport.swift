import HeraldBase

/// Why a message that reached the bounce address is not a report Herald acts on: not a
/// report at all (foreign mail), a report it cannot read, or one that names no subscriber.
/// Such mail is left where it is (Maildir) or refused (standard input), never dropped.
public struct UnreadableReport: ExitStatusError, Sendable, Equatable {
    public let reason: String
    public var description: String { reason }
    public var exitStatus: ExitStatus { .dataError }
    init(_ reason: String) { self.reason = reason }
}
