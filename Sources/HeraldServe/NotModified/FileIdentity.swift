#if canImport(Glibc)
    import Glibc
#endif

/// What `stat` says about a regular file, enough to tell that it is the same file with the
/// same bytes: the build replaces files by renaming (a new inode), and an in-place write
/// moves the modification and change times.
struct FileIdentity: Equatable, Sendable {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    let modified: timespec
    let changed: timespec

    /// What is at a path: nothing, a regular file, or something else (a folder, a socket…).
    enum Found {
        case nothing
        case file(FileIdentity)
        case other
    }

    static func look(at path: String) -> Found {
        var info = stat()
        guard stat(path, &info) == 0 else { return .nothing }
        return info.st_mode & S_IFMT == S_IFREG ? .file(FileIdentity(info)) : .other
    }

    /// nil unless the path is a regular file.
    init?(path: String) {
        guard case .file(let identity) = Self.look(at: path) else { return nil }
        self = identity
    }

    private init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modified = info.st_mtim
        changed = info.st_ctim
    }

    static func == (a: FileIdentity, b: FileIdentity) -> Bool {
        a.device == b.device && a.inode == b.inode && a.size == b.size
            && a.modified.tv_sec == b.modified.tv_sec && a.modified.tv_nsec == b.modified.tv_nsec
            && a.changed.tv_sec == b.changed.tv_sec && a.changed.tv_nsec == b.changed.tv_nsec
    }
}
