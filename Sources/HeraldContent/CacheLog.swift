import Crypto
import Foundation
import HeraldBase

#if canImport(Glibc)
    import Glibc
#endif

/// A cache file in the state folder kept as a log, so that a build which changed a few
/// entries appends those and does not rewrite the thousands it did not change.
///
/// Layout: the kind and format (`magic`) and the digest of every input that shapes what the
/// cache holds (`key`), then segments. A segment is a byte count, that many bytes of records
/// (each a byte count and its bytes), and a SHA-256 over the key, the records and the count
/// (last, so a segment can be hashed and written as it is made, its count put in at the end):
/// a segment appended by a herald with other inputs, one cut short by a crash, or garbled
/// bytes fail it, and then the whole file reads as nil and its owner starts from nothing. A
/// cache only saves work, so it is never trusted when in doubt. Later records of the same
/// thing supersede earlier ones; the owner rewrites the file (`rewrite`) when superseded
/// records outnumber the live ones.
///
/// Read with one `read` into one buffer (the scan cache of 10,000 posts is some 7 MB: each
/// copy of it cost a build page faults), and only the records asked for are decoded.
package enum CacheLog {
    /// 10,000 posts make some 7 MB.
    static let maxBytes = 1 << 30

    /// A log's records as read, in one buffer; readers of it are valid as long as this object lives.
    package final class Contents: @unchecked Sendable {
        // Immutable after init, never written: safe to read from any thread.
        private let base: UnsafeRawPointer
        /// Byte ranges of the records, in file order.
        package let records: [Range<Int>]
        /// The file this was read from, so that an append goes to the same file and not to
        /// one another build has renamed over it since.
        let device: UInt64
        let inode: UInt64

        fileprivate init(base: UnsafeRawPointer, records: [Range<Int>], device: UInt64, inode: UInt64) {
            self.base = base
            self.records = records
            self.device = device
            self.inode = inode
        }

        deinit { UnsafeMutableRawPointer(mutating: base).deallocate() }

        /// A reader over record `index`; it must not outlive this object.
        package func reader(_ index: Int) -> CacheReader {
            let range = records[index]
            return CacheReader(UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count))
        }

        /// Record `index`'s bytes, for a rewrite that keeps it.
        package func bytes(_ index: Int) -> UnsafeRawBufferPointer {
            let range = records[index]
            return UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count)
        }

        /// The latest record of each key, `key` reading it from the start of the record (the
        /// caches put a record's path first); nil when one record does not start with a key:
        /// then no record of the log is trusted.
        package func index<Key: Hashable>(_ key: (inout CacheReader) throws(CacheCorrupt) -> Key) -> [Key: Int]? {
            var index: [Key: Int] = [:]
            index.reserveCapacity(records.count)
            for record in records.indices {
                var reader = reader(record)
                guard let found = try? key(&reader) else { return nil }
                index[found] = record
            }
            return index
        }
    }

    /// The records of the log at `path` when its header says `magic` and `key` and every
    /// segment's checksum holds; nil otherwise (missing, cut, garbled, another format or key).
    package static func read(_ path: String, magic: String, key: [UInt8]) -> Contents? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        // A cache is never worth following a FIFO or reading a device, nor holding a file
        // larger than any cache Herald writes (a sparse one would take all the memory).
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0, info.st_size <= maxBytes
        else { return nil }
        let size = Int(info.st_size)
        // Read, not mapped: a mapping of a file another program cuts short while the scan
        // decodes from it would crash the build (SIGBUS) instead of failing a checksum.
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 8)
        var count = 0
        while count < size {
            let n = Glibc.read(fd, buffer.baseAddress! + count, size - count)
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            count += n
        }
        guard count == size, let records = parse(UnsafeRawBufferPointer(buffer), header: header(magic: magic, key: key), key: key)
        else {
            buffer.deallocate()
            return nil
        }
        return Contents(
            base: UnsafeRawPointer(buffer.baseAddress!), records: records, device: UInt64(info.st_dev),
            inode: UInt64(info.st_ino))
    }

    /// Appends the `records` given as one segment to the file `contents` was read from, in one write
    /// (O_APPEND), so that a reader sees the segment whole or fails its checksum. Nothing is
    /// written when the file at `path` is no longer that file (another build rewrote it).
    package static func append(
        to path: String, of contents: Contents, key: [UInt8], records: (inout SegmentWriter) -> Void
    ) throws(FileError) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard fd >= 0 else { throw FileError(path: path, message: "cannot append to the cache: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, UInt64(info.st_dev) == contents.device, UInt64(info.st_ino) == contents.inode else { return }
        var segment = SegmentWriter(key: key)
        records(&segment)
        var failure: SystemError? = nil
        segment.finish().withUnsafeBytes { buffer in
            do throws(SystemError) {
                try Syscall.writeAll("write", count: buffer.count) { done in
                    Glibc.write(fd, buffer.baseAddress! + done, buffer.count - done)
                }
            } catch { failure = error }
        }
        if let failure { throw FileError(path: path, message: "cannot append to the cache: \(failure.reason)") }
    }

    /// Writes a new log of one segment holding `records` under a temporary name and renames it
    /// into place, so a reader sees the old file or the new one. Not fsynced: after a crash a
    /// torn file fails its checksum. The records go to the file `spill` bytes at a time as
    /// they are made: held whole, the scan cache of 50,000 posts (40 MB) was a fifth of the
    /// build's peak memory.
    package static func rewrite(
        to path: String, magic: String, key: [UInt8], spill: Int = 1 << 20,
        records: (inout SegmentWriter) -> Void
    ) throws(FileError) {
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw FileError(path: folder, message: "cannot create the state folder: \(error.localizedDescription)")
        }
        let temporary = path + ".tmp-\(getpid())"
        do {
            let fd = try Syscall.call("open \(temporary)") {
                open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
            }
            defer { close(fd) }
            var segment = SegmentWriter(key: key, header: header(magic: magic, key: key), spillingTo: fd, every: spill)
            records(&segment)
            try segment.finishSpilled()
            try Syscall.call("rename \(temporary)") { rename(temporary, path) }
        } catch {
            unlink(temporary)
            throw FileError(path: path, message: "cannot write the cache: \(error.reason)")
        }
    }

    /// One segment being made: records encoded into one buffer (after the file's header, for
    /// a rewrite), its byte count filled in and its checksum added when it is finished. For a
    /// rewrite, the buffer goes to the file whenever it holds `every` bytes.
    package struct SegmentWriter {
        private var writer: CacheWriter
        /// Where the byte count is, in the file (and in the buffer until it is first spilled).
        private let start: Int
        private var hasher = SHA256()
        /// The file a rewrite goes to, how full the buffer may get, and what is in the file.
        private let file: (fd: Int32, every: Int)?
        private var spilled = 0
        private var failure: SystemError? = nil

        init(key: [UInt8], header: [UInt8] = [], spillingTo fd: Int32? = nil, every: Int = 0) {
            file = fd.map { ($0, max(every, 1)) }
            writer = CacheWriter(capacity: header.count + 8 + (fd == nil ? 0 : min(every, 1 << 22) + (1 << 16)))
            writer.raw(header)
            start = header.count
            writer.uint(0)
            hasher.update(data: key)
        }

        /// A record as `encode` writes it.
        package mutating func add(_ encode: (inout CacheWriter) -> Void) {
            let at = writer.bytes.count
            writer.uint(0)
            encode(&writer)
            writer.patch(UInt64(writer.bytes.count - at - 8), at: at)
            spillIfFull()
        }

        /// A record kept as it was.
        package mutating func add(_ record: UnsafeRawBufferPointer) {
            writer.uint(UInt64(record.count))
            writer.raw(record)
            spillIfFull()
        }

        /// Hashes the records written since the last spill (after the count, in the first).
        private mutating func hashRecordsInBuffer() {
            let from = spilled == 0 ? start + 8 : 0
            writer.bytes.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[from...])) }
        }

        private mutating func spillIfFull() {
            guard let file, writer.bytes.count >= file.every else { return }
            spill(to: file.fd)
        }

        private mutating func spill(to fd: Int32) {
            hashRecordsInBuffer()
            if failure == nil { failure = Self.write(writer.bytes, to: fd) }
            spilled += writer.bytes.count
            writer.clear()
        }

        /// The records' byte count, hashed last.
        private mutating func count(total: Int) -> UInt64 {
            let count = UInt64(total - start - 8)
            withUnsafeBytes(of: count.littleEndian) { hasher.update(bufferPointer: $0) }
            return count
        }

        /// The whole segment, for an append.
        fileprivate mutating func finish() -> [UInt8] {
            hashRecordsInBuffer()
            writer.patch(count(total: writer.bytes.count), at: start)
            writer.raw(Array(hasher.finalize()))
            return writer.bytes
        }

        /// The rest of a rewrite's segment, its checksum, and its count over the placeholder.
        fileprivate mutating func finishSpilled() throws(SystemError) {
            guard let file else { preconditionFailure("finishSpilled on a segment written in one piece") }
            hashRecordsInBuffer()
            let count = count(total: spilled + writer.bytes.count)
            if spilled == 0 { writer.patch(count, at: start) }
            writer.raw(Array(hasher.finalize()))
            if failure == nil { failure = Self.write(writer.bytes, to: file.fd) }
            if let failure { throw failure }
            guard spilled > 0 else { return }
            try withUnsafeBytes(of: count.littleEndian) { bytes throws(SystemError) in
                try Syscall.writeAll("write", count: 8) { done in
                    pwrite(file.fd, bytes.baseAddress! + done, 8 - done, off_t(start + done))
                }
            }
        }

        private static func write(_ bytes: [UInt8], to fd: Int32) -> SystemError? {
            bytes.withUnsafeBytes { buffer in
                do throws(SystemError) {
                    try Syscall.writeAll("write", count: buffer.count) { done in
                        Glibc.write(fd, buffer.baseAddress! + done, buffer.count - done)
                    }
                    return nil
                } catch { return error }
            }
        }
    }

    private static func header(magic: String, key: [UInt8]) -> [UInt8] {
        Array(magic.utf8) + [0x0A] + key
    }

    /// The records' ranges when the header and every segment hold.
    private static func parse(_ bytes: UnsafeRawBufferPointer, header: [UInt8], key: [UInt8]) -> [Range<Int>]? {
        guard bytes.count >= header.count, bytes.prefix(header.count).elementsEqual(header) else { return nil }
        var records: [Range<Int>] = []
        var offset = header.count
        let digestSize = SHA256.byteCount
        while offset < bytes.count {
            guard bytes.count - offset >= 8 + digestSize else { return nil }
            let length = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            guard length <= UInt64(bytes.count - offset - 8 - digestSize) else { return nil }
            let end = offset + 8 + Int(length)
            var hasher = SHA256()
            hasher.update(data: key)
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: bytes[offset + 8..<end]))
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + 8]))
            guard hasher.finalize().elementsEqual(bytes[end..<end + digestSize]) else { return nil }
            var position = offset + 8
            while position < end {
                guard end - position >= 8 else { return nil }
                let size = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self))
                guard size <= UInt64(end - position - 8) else { return nil }
                records.append(position + 8..<position + 8 + Int(size))
                position += 8 + Int(size)
            }
            offset = end + digestSize
        }
        return records
    }
}
