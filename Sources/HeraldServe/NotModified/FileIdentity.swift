import HeraldBase

/// What `stat` says about a regular file, enough to tell that it is the same file with the
/// same bytes: the build replaces files by renaming (a new inode), and an in-place write
/// moves the modification and change times.
struct FileIdentity: Equatable, Sendable {
    let status: FileStatus

    /// What is at a path: nothing, a regular file, or something else (a folder, a socket…).
    enum Found {
        case nothing
        case file(FileIdentity)
        case other
    }

    static func look(at path: String) -> Found {
        guard let status = FileStatus(path: path) else { return .nothing }
        return status.isRegularFile ? .file(FileIdentity(status: status)) : .other
    }

    /// nil unless the path is a regular file.
    init?(path: String) {
        guard case .file(let identity) = Self.look(at: path) else { return nil }
        self = identity
    }

    private init(status: FileStatus) { self.status = status }
}
