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
    private let verdicts = Mutex<[String: (seen: Seen, allowed: Bool)]>([:])

    init(root: String, databases: [String]) {
        self.root = root
        self.databases = databases
    }

    /// Whether the file or folder at `path` (under `root`) may be served.
    func allows(_ path: String) -> Bool {
        guard let seen = Seen(path) else { return false }
        if let kept = verdicts.withLock({ $0[path] }), kept.seen == seen { return kept.allowed }
        let allowed = decide(path, seen)
        verdicts.withLock { table in
            if table.count >= Self.limit { table.removeAll() }
            table[path] = (seen, allowed)
        }
        return allowed
    }

    private func decide(_ path: String, _ seen: Seen) -> Bool {
        let name = path.split(separator: "/").last.map { $0.lowercased() } ?? ""
        if Self.databaseSuffixes.contains(where: { name.hasSuffix($0) }) { return false }
        guard let realRoot = RealPath.of(root), let real = RealPath.of(path), RealPath.isInside(real, realRoot) else {
            return false
        }
        guard seen.isRegularFile else { return true }
        if databases.contains(where: { Seen($0)?.isSameFile(as: seen) ?? false }) { return false }
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

    /// What `stat` says about whatever a path leads to.
    struct Seen: Equatable, Sendable {
        let device: UInt64
        let inode: UInt64
        let mode: UInt32
        let size: Int64
        let modified: Int
        let modifiedNanoseconds: Int
        let changed: Int
        let changedNanoseconds: Int

        init?(_ path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            mode = UInt32(info.st_mode)
            size = Int64(info.st_size)
            modified = Int(info.st_mtim.tv_sec)
            modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
            changed = Int(info.st_ctim.tv_sec)
            changedNanoseconds = Int(info.st_ctim.tv_nsec)
        }

        var isRegularFile: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFREG) }

        func isSameFile(as other: Seen) -> Bool { device == other.device && inode == other.inode }
    }
}
