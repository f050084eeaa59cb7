import Foundation

/// `herald send --dry-run --out DIR`: every message a run would send, as files in
/// a Maildir (`tmp/`, `new/`, `cur/`), so any mail client can show them.
public struct MaildirWriter: Sendable {
    public let directory: URL

    public init(directory: URL) throws {
        self.directory = directory
        for sub in ["tmp", "new", "cur"] {
            try FileManager.default.createDirectory(at: directory.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
    }

    /// Written to `tmp/` and renamed into `new/`, as the Maildir convention asks,
    /// so a reader never sees half a message. Names sort in delivery order.
    public func write(_ message: OutgoingMessage, sequence: Int) throws {
        let name = String(format: "%06d.%d.herald", sequence, getpid())
        let tmp = directory.appendingPathComponent("tmp").appendingPathComponent(name)
        try Data(message.bytes).write(to: tmp)
        try FileManager.default.moveItem(at: tmp, to: directory.appendingPathComponent("new").appendingPathComponent(name))
    }
}
