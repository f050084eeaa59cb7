#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// An exclusive `flock` on `send.lock` in the state folder, held for a whole
/// `herald send`. The kernel drops it when the process dies (even on `kill -9`),
/// so a crash never leaves a stale lock behind.
public final class SendLock {
    private let fd: Int32
    public let path: String

    public enum Failure: Error, Sendable, CustomStringConvertible {
        case held(path: String)
        case cannotOpen(path: String, reason: String)
        public var description: String {
            switch self {
            case .held(let path): "another herald send is running for this publication (\(path) is locked); try again later"
            case .cannotOpen(let path, let reason): "\(path): cannot open the lock file: \(reason)"
            }
        }
    }

    public init(directory: URL) throws(Failure) {
        path = directory.appendingPathComponent("send.lock").path
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw .held(path: path)
        }
    }

    deinit { close(fd) }  // closing releases the lock
}
