import Foundation
import HeraldBase

/// An exclusive lock on `send.lock` in the state folder, held for a whole `herald send`;
/// a crashed send leaves no stale lock (see `FileLock`).
public final class SendLock {
    private let lock: FileLock
    public let path: String

    public enum Failure: ExitStatusError, Sendable {
        case held(path: String)
        case cannotOpen(path: String, reason: String)
        public var description: String {
            switch self {
            case .held(let path): "another herald send is running for this publication (\(path) is locked); try again later"
            case .cannotOpen(let path, let reason): "\(path): cannot open the lock file: \(reason)"
            }
        }
        public var exitStatus: ExitStatus {
            switch self {
            case .held: .tempFail
            case .cannotOpen: .cantCreate
            }
        }
    }

    public init(directory: URL) throws(Failure) {
        path = directory.appendingPathComponent("send.lock").path
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        do { lock = try FileLock(path: path) } catch {
            switch error {
            case .held: throw .held(path: path)
            case .cannotOpen(let failure): throw .cannotOpen(path: path, reason: failure.reason)
            }
        }
    }
}
