import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#endif

/// A post file's size and modification time as one `stat` saw them. The build
/// fingerprint compares stamps to tell whether any post may have changed; the scan takes
/// them from the descriptor it reads (`fstat`), so a first build needs no second walk.
public struct FileStamp: Sendable, Equatable {
    /// The path as `PostFiles.list` gives it.
    public let path: String
    /// False when the file could not be stat'ed (the times are then zero).
    package let readable: Bool
    package let size: Int64
    package let seconds: Int64
    package let nanoseconds: Int64

    init(path: String, _ info: stat?) {
        self.path = path
        readable = info != nil
        size = info.map { Int64($0.st_size) } ?? 0
        seconds = info.map { Int64($0.st_mtim.tv_sec) } ?? 0
        nanoseconds = info.map { Int64($0.st_mtim.tv_nsec) } ?? 0
    }

    /// The modification time, nil when the file could not be stat'ed.
    var modified: Date? {
        readable ? Date(timeIntervalSince1970: Double(seconds) + Double(nanoseconds) / 1e9) : nil
    }

    /// `stat` (symlinks followed, as opening the file does).
    package static func of(_ path: String) -> FileStamp {
        var info = stat()
        return FileStamp(path: path, stat(path, &info) == 0 ? info : nil)
    }
}
