#if canImport(Glibc)
    import Glibc
#endif

/// Reading a whole file into memory without trusting it: never more than `limit` bytes are
/// held, and with `regularOnly` nothing but a regular file is opened (no link is followed,
/// and the open cannot block on a FIFO), so an odd entry in a folder Herald reads is a
/// refusal to report, not a hang or a run out of memory.
package enum BoundedRead {
    package enum Failure: Error, Sendable, CustomStringConvertible {
        /// Not a regular file: `kind` says what it is ("a FIFO", "a folder", "a symbolic link").
        case notRegular(kind: String)
        case tooLarge(limit: Int)
        case system(SystemError)

        package var description: String {
            switch self {
            case .notRegular(let kind): "not a regular file but \(kind)"
            case .tooLarge(let limit): "larger than \(BoundedRead.size(limit))"
            case .system(let error): error.description
            }
        }
    }

    /// The file at `path`, whole. Without `regularOnly` it may be a pipe or a device (the
    /// user named it: `<(zcat list.gz)` is a FIFO), but not a folder.
    package static func contents(of path: String, limit: Int, regularOnly: Bool) throws(Failure) -> [UInt8] {
        var info = stat()
        if regularOnly {
            guard lstat(path, &info) == 0 else { throw .system(SystemError(call: "lstat \(path)", code: errno)) }
            guard info.st_mode & S_IFMT == S_IFREG else { throw .notRegular(kind: kind(info.st_mode)) }
        }
        let flags = O_RDONLY | O_CLOEXEC | (regularOnly ? O_NOFOLLOW | O_NONBLOCK : 0)
        let fd: Int32
        do { fd = try Syscall.call("open \(path)") { open(path, flags) } } catch {
            throw error.code == ELOOP ? .notRegular(kind: "a symbolic link") : .system(error)
        }
        defer { close(fd) }
        guard fstat(fd, &info) == 0 else { throw .system(SystemError(call: "fstat \(path)", code: errno)) }
        let mode = info.st_mode & S_IFMT
        if mode == S_IFDIR || (regularOnly && mode != S_IFREG) { throw .notRegular(kind: kind(info.st_mode)) }
        if mode == S_IFREG, Int(info.st_size) > limit { throw .tooLarge(limit: limit) }
        return try contents(descriptor: fd, limit: limit, name: path, expected: mode == S_IFREG ? Int(info.st_size) : 0)
    }

    /// What is left to read on `fd` (standard input, say), at most `limit` bytes. `expected`
    /// (a regular file's size) is read straight into one buffer of that size, one byte
    /// more to see the end: no chunk is copied and the array never regrows. Whatever is
    /// beyond it (a file that grew, a pipe) follows in chunks.
    package static func contents(descriptor fd: Int32, limit: Int, name: String, expected: Int = 0) throws(Failure) -> [UInt8] {
        let first = min(max(expected, 0), limit) + 1
        var failure: SystemError? = nil
        var atEnd = false
        var bytes = [UInt8](unsafeUninitializedCapacity: first) { buffer, count in
            do throws(SystemError) {
                while count < first {
                    let read = try Syscall.call("read \(name)") { Glibc.read(fd, buffer.baseAddress! + count, first - count) }
                    if read == 0 {
                        atEnd = true
                        return
                    }
                    count += read
                }
            } catch { failure = error }
        }
        if let failure { throw .system(failure) }
        if atEnd { return bytes }
        guard bytes.count <= limit else { throw .tooLarge(limit: limit) }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count: Int
            do { count = try Syscall.call("read \(name)") { read(fd, &chunk, chunk.count) } } catch { throw .system(error) }
            if count == 0 { return bytes }
            guard bytes.count + count <= limit else { throw .tooLarge(limit: limit) }
            bytes.append(contentsOf: chunk[..<count])
        }
    }

    /// `10 MiB`, `64 KiB`, `512 bytes`.
    package static func size(_ bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }

    private static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFREG: "a regular file"
        case S_IFDIR: "a folder"
        case S_IFIFO: "a FIFO"
        case S_IFLNK: "a symbolic link"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        default: "of an unknown kind"
        }
    }
}
