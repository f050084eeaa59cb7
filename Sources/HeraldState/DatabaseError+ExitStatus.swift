import GRDB
import HeraldBase

/// A failing read or write of the state database (disk full, corrupt file, locked too
/// long) is an I/O error to the operator, whichever command met it.
extension DatabaseError: ExitStatusError {
    public var exitStatus: ExitStatus { .ioError }
}
