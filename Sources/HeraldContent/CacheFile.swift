import Crypto
import Foundation
import HeraldBase

#if canImport(Glibc)
    import Glibc
#endif

/// A cache file in the state folder: a kind and format (`magic`), the digest of every
/// input that shapes what it holds (`key`), the body, and a SHA-256 of all of that last.
/// A file that is missing, cut short, garbled, of another format or made from other
/// inputs reads as nil, and its owner starts from nothing: a cache only saves work, so
/// it is never trusted when in doubt.
///
/// Read and written with plain read/write on one buffer: the scan cache of 10,000 posts is
/// some 7 MB, and each copy of it (Data, then an array) cost a build page faults.
package enum CacheFile {
    /// `body` of the file at `path` when its header and checksum hold and it was made for `key`.
    package static func read(_ path: String, magic: String, key: [UInt8]) -> CacheReader? {
        guard let bytes = contents(path) else { return nil }
        let header = header(magic: magic, key: key)
        let digestSize = SHA256.byteCount
        guard bytes.count >= header.count + digestSize, bytes.starts(with: header) else { return nil }
        let sum = bytes.withUnsafeBytes { Array(SHA256.hash(data: UnsafeRawBufferPointer(rebasing: $0[..<(bytes.count - digestSize)]))) }
        guard bytes[(bytes.count - digestSize)...].elementsEqual(sum) else { return nil }
        return CacheReader(bytes, from: header.count, to: bytes.count - digestSize)
    }

    /// Writes `body` under a temporary name and renames it into place, so a reader sees the
    /// old file or the new one. Not fsynced: after a crash a torn file fails its checksum.
    package static func write(_ body: [UInt8], to path: String, magic: String, key: [UInt8]) throws(FileError) {
        let header = header(magic: magic, key: key)
        var hasher = SHA256()
        hasher.update(data: header)
        hasher.update(data: body)
        let sum = Array(hasher.finalize())
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw FileError(path: folder, message: "cannot create the state folder: \(error.localizedDescription)")
        }
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileError(path: temporary, message: "cannot write the cache: \(String(cString: strerror(errno)))") }
        let written = [header, body, sum].allSatisfy { writeAll(fd, $0) }
        let reason = String(cString: strerror(errno))
        close(fd)
        guard written, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw FileError(path: path, message: "cannot write the cache: \(reason)")
        }
    }

    private static func header(magic: String, key: [UInt8]) -> [UInt8] {
        Array(magic.utf8) + [0x0A] + key
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + done, buffer.count - done)
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { return false }
                done += n
            }
            return true
        }
    }

    /// The whole file in one array sized by fstat; nil when it cannot be read or is not a
    /// regular file (a cache is never worth following a FIFO or reading a device).
    private static func contents(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let size = Int(info.st_size)
        var complete = true
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            while count < size {
                let n = Glibc.read(fd, buffer.baseAddress! + count, size - count)
                if n < 0, errno == EINTR { continue }
                guard n > 0 else {
                    complete = n == 0 && count == size
                    break
                }
                count += n
            }
        }
        return complete && bytes.count == size ? bytes : nil
    }
}
