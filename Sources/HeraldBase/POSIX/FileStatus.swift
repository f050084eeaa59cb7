#if canImport(Glibc)
    import Glibc
#endif

/// What `stat` says about a path, as plain numbers: the kind, where the inode is, the size and
/// the modification and status change times. Read here, where the C `stat` and `timespec`
/// types have one defining module, so targets above can compare files without naming them.
package struct FileStatus: Equatable, Sendable {
    package let isRegularFile: Bool
    package let device: UInt64
    package let inode: UInt64
    package let size: Int64
    package let modifiedSeconds: Int64
    package let modifiedNanoseconds: Int64
    package let changedSeconds: Int64
    package let changedNanoseconds: Int64

    /// nil when nothing is at the path (or it cannot be looked at); links are followed.
    package init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        isRegularFile = info.st_mode & S_IFMT == S_IFREG
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modifiedSeconds = Int64(info.st_mtim.tv_sec)
        modifiedNanoseconds = Int64(info.st_mtim.tv_nsec)
        changedSeconds = Int64(info.st_ctim.tv_sec)
        changedNanoseconds = Int64(info.st_ctim.tv_nsec)
    }

    /// The same inode on the same device: one file, whatever path or link led to it.
    package func isSameFile(as other: FileStatus) -> Bool { device == other.device && inode == other.inode }
}
