import Foundation
import HeraldBase

/// A Maildir the bounce address is delivered to. Unread are the messages in `new/` and
/// those in `cur/` without the Seen flag; a report once read is moved to `cur/` with the
/// `S` flag added (`NAME:2,S`), which any mail client shows as read. Mail that is not a
/// report is not touched, so it stays unread for a human.
public struct MaildirInbox: Sendable {
    public let directory: URL

    public struct NotAMaildir: ExitStatusError, Sendable {
        public let path: String
        public var description: String { "\(path): not a Maildir (it needs new/ and cur/ folders)" }
        public var exitStatus: ExitStatus { .usage }
    }

    public init(directory: URL) throws(NotAMaildir) {
        var isFolder: ObjCBool = false
        for sub in ["new", "cur"] {
            guard FileManager.default.fileExists(atPath: directory.appendingPathComponent(sub).path, isDirectory: &isFolder),
                isFolder.boolValue
            else { throw NotAMaildir(path: directory.path) }
        }
        self.directory = directory
    }

    /// The unread messages, oldest name first (Maildir names start with the delivery time).
    public func unread() throws(Failure) -> [URL] {
        var found: [URL] = []
        for sub in ["new", "cur"] {
            let folder = directory.appendingPathComponent(sub)
            let names: [String]
            do { names = try FileManager.default.contentsOfDirectory(atPath: folder.path) } catch {
                throw Failure(.ioError, "\(folder.path): cannot list: \(error.localizedDescription)")
            }
            for name in names.sorted() where !name.hasPrefix(".") && !(sub == "cur" && Self.flags(of: name).contains("S")) {
                found.append(folder.appendingPathComponent(name))
            }
        }
        return found
    }

    /// Reports are a few kilobytes; one past this is not read (and not loaded to find out).
    public static let maximumReportBytes = 10 << 20

    /// Why an entry of `new/` or `cur/` is not read: it stays where it is, and the run goes on.
    public struct Skipped: Error, Sendable {
        public let reason: String
    }

    /// A message's bytes. Only a regular file is opened: a FIFO, a folder, a device or a
    /// symbolic link (even to a regular file: a link can point out of the Maildir) is
    /// skipped without blocking or following it, and so is a file past `maximumReportBytes`.
    public func contents(of file: URL) throws(Skipped) -> [UInt8] {
        do { return try BoundedRead.contents(of: file.path, limit: Self.maximumReportBytes, regularOnly: true) } catch {
            switch error {
            case .notRegular, .tooLarge: throw Skipped(reason: "\(error); not read")
            case .system(let error): throw Skipped(reason: "cannot read it: \(error.reason)")
            }
        }
    }

    /// Moves a read report to `cur/` with the Seen flag.
    public func markRead(_ file: URL) throws(Failure) {
        let name = file.lastPathComponent
        let base = name.range(of: ":2,").map { String(name[..<$0.lowerBound]) } ?? name
        let flags = String((Self.flags(of: name) + "S").sorted())
        let target = directory.appendingPathComponent("cur").appendingPathComponent("\(base):2,\(flags)")
        guard rename(file.path, target.path) == 0 else {
            throw Failure(.ioError, "\(file.path): cannot move to \(target.path): \(String(cString: strerror(errno)))")
        }
    }

    /// The flags after `:2,` in a Maildir file name.
    static func flags(of name: String) -> String {
        name.range(of: ":2,").map { String(name[$0.upperBound...]) } ?? ""
    }
}
