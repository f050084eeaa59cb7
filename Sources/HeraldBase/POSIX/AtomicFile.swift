import CPOSIX
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A file replaced all at once: written to a temporary file beside the destination,
/// then either dropped (the bytes equal what is already there, so the old file and its
/// mtime stay) or fsynced and renamed over it. A reader never sees half a feed, and a
/// crash leaves at worst a stray `.*.tmp-*` file, never a truncated feed.
package final class AtomicFile {
    package enum Outcome: Sendable { case written, unchanged }

    package let destination: String
    private let temporary: String
    package private(set) var descriptor: Int32
    private var done = false

    /// Creates the destination's folder if needed and opens the temporary file.
    package init(_ destination: String) throws(FileError) {
        self.destination = destination
        let folder = (destination as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw FileError(path: folder, message: "cannot create the folder: \(error.localizedDescription)")
        }
        let prefix = Self.temporaryPrefix(for: (destination as NSString).lastPathComponent)
        var template = Array((folder + "/" + prefix + "XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw FileError(path: destination, message: "cannot create a temporary file: \(Self.lastError)")
        }
        temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        descriptor = fd
        // mkstemp makes 0600; feeds are served by a web server running as someone else.
        fchmod(fd, 0o644)
    }

    deinit { discard() }

    /// Temporary files are `.NAME.tmp-XXXXXX`: hidden, and recognisable as leftovers.
    package static func temporaryPrefix(for name: String) -> String { "." + name + ".tmp-" }

    /// Closes the descriptor once everything is written, so a build with hundreds of
    /// tag feeds does not hold hundreds of descriptors until the commit.
    package func seal() {
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
    }

    /// Replaces the destination unless it already holds exactly these bytes.
    @discardableResult
    package func commit() throws(FileError) -> Outcome {
        precondition(!done, "AtomicFile committed twice")
        if descriptor < 0 {
            descriptor = open(temporary, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw failure("cannot reopen \(temporary)") }
        }
        if Self.sameContents(descriptor, destination) {
            discard()
            return .unchanged
        }
        // fsync works on a read-only descriptor: it flushes the file, not the descriptor.
        guard fsync(descriptor) == 0 else { throw failure("cannot flush to disk") }
        close(descriptor)
        descriptor = -1
        guard rename(temporary, destination) == 0 else { throw failure("cannot rename \(temporary) into place") }
        done = true
        return .written
    }

    /// Removes the temporary file; the destination is untouched.
    package func discard() {
        guard !done else { return }
        done = true
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        unlink(temporary)
    }

    /// Writes `data` and commits: for small files such as the build record.
    @discardableResult
    package static func write(_ data: Data, to path: String) throws(FileError) -> Outcome {
        let file = try AtomicFile(path)
        let written = data.withUnsafeBytes { bytes in
            Result { () throws(SystemError) in
                try Syscall.writeAll("write", count: bytes.count) { done in
                    Glibc.write(file.descriptor, bytes.baseAddress! + done, bytes.count - done)
                }
            }
        }
        guard case .success = written else { throw file.failure("cannot write") }
        return try file.commit()
    }

    private func failure(_ what: String) -> FileError {
        let error = FileError(path: destination, message: "\(what): \(Self.lastError)")
        discard()
        return error
    }

    private static var lastError: String { String(cString: strerror(errno)) }

    /// Byte-for-byte comparison of the temporary file (read from its start) with `path`.
    private static func sameContents(_ fd: Int32, _ path: String) -> Bool {
        let other = open(path, O_RDONLY | O_CLOEXEC)
        guard other >= 0 else { return false }
        defer { close(other) }
        var a = stat()
        var b = stat()
        guard fstat(fd, &a) == 0, fstat(other, &b) == 0, a.st_size == b.st_size else { return false }
        let chunk = 1 << 20
        let left = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 16)
        let right = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 16)
        defer {
            left.deallocate()
            right.deallocate()
        }
        var offset: off_t = 0
        while offset < a.st_size {
            guard let n = try? Syscall.call("pread", { pread(fd, left, chunk, offset) }), n > 0,
                readFully(other, right, n, offset)
            else { return false }
            if memcmp(left, right, n) != 0 { return false }
            offset += off_t(n)
        }
        return true
    }

    private static func readFully(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int, _ offset: off_t) -> Bool {
        var got = 0
        while got < count {
            guard let n = try? Syscall.call("pread", { pread(fd, buffer + got, count - got, offset + off_t(got)) }), n > 0 else {
                return false
            }
            got += n
        }
        return true
    }
}

extension AtomicFile {
    /// fsyncs a folder so the renames in it survive a power cut, not only the file data.
    package static func syncFolder(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}

/// Starts writing a range of a file to disk without waiting for it
/// (`sync_file_range(SYNC_FILE_RANGE_WRITE)`): the later `fsync` then only waits for what
/// is still in flight. Only a head start — durability still comes from `fsync` alone, so
/// where the call is missing (not Linux) or fails, nothing changes but the timing.
package enum Writeback {
    package static func start(_ fd: Int32, offset: Int, count: Int) {
        _ = CPOSIX_start_writeback(fd, Int64(offset), Int64(count))
    }
}
