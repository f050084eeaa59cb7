import Foundation
import HeraldBase
import Synchronization

/// Delivers messages into a Maildir (`tmp/`, `new/`, `cur/`) the way an MDA
/// does: written under `tmp/`, then renamed into `new/`, so a mail client
/// watching the folder never sees half a message. Used for previews.
public struct MaildirWriter {
    public let root: URL

    public init(root: URL) throws(FileError) {
        self.root = root
        for sub in ["tmp", "new", "cur"] {
            do {
                try FileManager.default.createDirectory(at: root.appendingPathComponent(sub), withIntermediateDirectories: true)
            } catch {
                throw FileError(path: root.appendingPathComponent(sub).path, message: "cannot create the Maildir folder")
            }
        }
    }

    /// Writes one message and returns the file's URL under `new/`.
    @discardableResult
    public func deliver(_ message: OutgoingMessage, now: Date = Date()) throws(FileError) -> URL {
        let name = Self.uniqueName(now: now)
        let temporary = root.appendingPathComponent("tmp").appendingPathComponent(name)
        let final = root.appendingPathComponent("new").appendingPathComponent(name)
        do { try ScratchFile.write(message.bytes, to: final.path, through: temporary.path) } catch {
            throw FileError(path: final.path, message: "cannot write the message (\(error))")
        }
        return final
    }

    /// `SECONDS.MMICROSPPID_COUNTER.HOST`, the conventional unique name; `/` and
    /// `:` in the host name are escaped as Maildir readers expect.
    static func uniqueName(now: Date) -> String {
        let seconds = Int(now.timeIntervalSince1970)
        let micros = Int((now.timeIntervalSince1970 - Double(seconds)) * 1_000_000)
        let host = ProcessInfo.processInfo.hostName
            .replacingOccurrences(of: "/", with: "\\057").replacingOccurrences(of: ":", with: "\\072")
        let count = counter.add(1, ordering: .relaxed).newValue
        return "\(seconds).M\(micros)P\(ProcessInfo.processInfo.processIdentifier)_\(count).\(host)"
    }

    /// Distinguishes messages written within the same microsecond.
    private static let counter = Atomic<Int>(0)
}
