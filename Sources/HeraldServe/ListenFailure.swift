import HeraldBase
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// The listening address could not be had: an unavailable resource (69), said before the
/// server claims to serve, not a bug in Herald.
enum ListenFailure {
    /// The failure to report for an error from binding `address`, or nil if it is not one.
    static func failure(for error: any Error, address: ListenAddress) -> Failure? {
        guard let io = error as? IOError else { return nil }
        let why: String
        switch io.errnoCode {
        case EADDRINUSE: why = "the address is in use (another herald serve, or another program, listens there)"
        case EADDRNOTAVAIL: why = "no interface of this machine has that address"
        case EACCES: why = "this user may not listen on that port (ports below 1024 need privileges)"
        default: return nil
        }
        return Failure(.unavailable, "cannot listen on \(address): \(why)")
    }
}
