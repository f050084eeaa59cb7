import FoundationEssentials
import HeraldBase

#if canImport(Glibc)
    import Glibc
#endif

/// A post file's identity as one `stat` saw it: size, modification and change times,
/// device and inode. The build fingerprint compares stamps to tell whether any post may
/// have changed, and the scan cache to tell whether a file is the one it parsed; the scan
/// takes them from the descriptor it reads (`fstat`), so a first build needs no second walk.
///
/// The change time is what makes a stamp trustworthy: a program can set a file's
/// modification time back (`touch -d`, `cp -p`, rsync), but every write, rename or
/// `utimes` moves the change time to the clock's now, and nothing but the clock sets it.
public struct FileStamp: Sendable, Equatable {
    /// The path as `PostFiles.list` gives it.
    public let path: String
    /// False when the file could not be stat'ed (the times are then zero).
    package let readable: Bool
    package let size: Int64
    package let seconds: Int64
    package let nanoseconds: Int64
    package let changeSeconds: Int64
    package let changeNanoseconds: Int64
    package let device: UInt64
    package let inode: UInt64

    init(path: String, _ info: stat?) {
        self.path = path
        readable = info != nil
        size = info.map { Int64($0.st_size) } ?? 0
        seconds = info.map { Int64($0.st_mtim.tv_sec) } ?? 0
        nanoseconds = info.map { Int64($0.st_mtim.tv_nsec) } ?? 0
        changeSeconds = info.map { Int64($0.st_ctim.tv_sec) } ?? 0
        changeNanoseconds = info.map { Int64($0.st_ctim.tv_nsec) } ?? 0
        device = info.map { UInt64($0.st_dev) } ?? 0
        inode = info.map { UInt64($0.st_ino) } ?? 0
    }

    package init(
        path: String, readable: Bool, size: Int64, seconds: Int64, nanoseconds: Int64, changeSeconds: Int64,
        changeNanoseconds: Int64, device: UInt64, inode: UInt64
    ) {
        self.path = path
        self.readable = readable
        self.size = size
        self.seconds = seconds
        self.nanoseconds = nanoseconds
        self.changeSeconds = changeSeconds
        self.changeNanoseconds = changeNanoseconds
        self.device = device
        self.inode = inode
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

    /// `fstatat` of `file` relative to the folder `directory` (symlinks followed), stamped as `path`.
    package static func of(_ file: String, in directory: Int32, stampedAs path: String) -> FileStamp {
        var info = stat()
        return FileStamp(path: path, fstatat(directory, file, &info, 0) == 0 ? info : nil)
    }

    /// `stat` of each of `files` (absolute paths, symlinks followed), on all cores; those
    /// under `root` are looked up from its descriptor, so the kernel walks one name, not the
    /// whole path, for each (the stamps of 10,000 posts are most of a build that changed one).
    package static func of(_ files: [String], under root: String) -> [FileStamp] {
        let top = root.hasSuffix("/") ? String(root.dropLast()) : root
        let prefix = Array(top.utf8) + [UInt8(ascii: "/")]
        let rootFD = open(top, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { if rootFD >= 0 { close(rootFD) } }
        let directory = rootFD
        return parallelMap(files) { file in
            guard directory >= 0, file.utf8.count > prefix.count, file.hasBytePrefix(prefix) else { return of(file) }
            // The name below the folder straight from the path's bytes: no String made of it.
            var info = stat()
            let found = file.withCString { fstatat(directory, $0 + prefix.count, &info, 0) } == 0
            return FileStamp(path: file, found ? info : nil)
        }
    }

    /// The later of the two times, in nanoseconds since 1970: a file whose stamp is this
    /// close to a scan may still change within the same clock tick without its stamp changing.
    package var latestNanoseconds: Int64 {
        max(seconds &* 1_000_000_000 &+ nanoseconds, changeSeconds &* 1_000_000_000 &+ changeNanoseconds)
    }
}

extension String {
    /// Whether the UTF-8 bytes start with `prefix`, compared with `memcmp`: the generic
    /// `starts(with:)` over the UTF-8 view was a few per cent of a build after one post changed.
    package func hasBytePrefix(_ prefix: [UInt8]) -> Bool {
        guard utf8.count >= prefix.count else { return false }
        return withCString { text in prefix.withUnsafeBytes { memcmp(text, $0.baseAddress!, prefix.count) == 0 } }
    }
}
