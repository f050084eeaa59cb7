import HeraldBase
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Which paths in an output folder may be served, as nginx's `disable_symlinks` and a
/// deny rule for databases would decide: only what really is inside the folder (a
/// symbolic link out of it is refused, whether it is the file or a folder on the way), and
/// never a SQLite database, by its name, by its first bytes, or by being one of the state
/// databases this process has open. Those are recognised by device and inode without
/// being opened: closing any descriptor of a file drops every POSIX lock the process
/// holds on it, and SQLite's locks are what keep its writers apart.
///
/// A verdict is kept by path with what `stat` said, so a repeated request costs one `stat`;
/// any change to what the path leads to (another inode, a new size or time) decides again.
final class ServableFiles: Sendable {
    static let databaseSuffixes = [".sqlite", ".sqlite3", ".sqlite-wal", ".sqlite-shm", ".sqlite-journal", ".db"]
    static let sqliteHeader = Array("SQLite format 3\0".utf8)
    static let limit = 4096

    /// The output folder as configured (it may itself be a link, e.g. to the current release).
    let root: String
    /// The state databases' files, checked by identity.
    let databases: [String]
    private let verdicts = Mutex<[String: (seen: FileStatus, allowed: Bool)]>([:])

    init(root: String, databases: [String]) {
        self.root = root
        self.databases = databases
    }

    /// Whether the file or folder at `path` (under `root`) may be served.
    func allows(_ path: String) -> Bool {
        guard let seen = FileStatus(path: path) else { return false }
        if let kept = verdicts.withLock({ $0[path] }), kept.seen == seen { return kept.allowed }
        let allowed = decide(path, seen)
        verdicts.withLock { table in
            if table.count >= Self.limit { table.removeAll() }
            table[path] = (seen, allowed)
        }
        return allowed
    }

    private func decide(_ path: String, _ seen: FileStatus) -> Bool {
        let name = path.split(separator: "/").last.map { $0.lowercased() } ?? ""
        if Self.databaseSuffixes.contains(where: { name.hasSuffix($0) }) { return false }
        guard let realRoot = RealPath.of(root), let real = RealPath.of(path), RealPath.isInside(real, realRoot) else {
            return false
        }
        guard seen.isRegularFile else { return true }
        if databases.contains(where: { FileStatus(path: $0)?.isSameFile(as: seen) ?? false }) { return false }
        return !Self.startsLikeSQLite(real)
    }

    /// Whether a file begins with SQLite's header. Opened without following a link (the
    /// real path has none) and without blocking on a FIFO.
    static func startsLikeSQLite(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return true }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: sqliteHeader.count)
        let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        return count == sqliteHeader.count && bytes == sqliteHeader
    }

}
