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
package enum CacheFile {
    /// `body` of the file at `path` when its header and checksum hold and it was made for `key`.
    package static func read(_ path: String, magic: String, key: [UInt8]) -> CacheReader? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let bytes = [UInt8](data)
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
        var bytes = header(magic: magic, key: key)
        bytes += body
        bytes += Array(SHA256.hash(data: bytes))
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw FileError(path: folder, message: "cannot create the state folder: \(error.localizedDescription)")
        }
        let temporary = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else {
            throw FileError(path: temporary, message: "cannot write the cache: \(String(cString: strerror(errno)))")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw FileError(path: path, message: "cannot write the cache: \(reason)")
        }
    }

    private static func header(magic: String, key: [UInt8]) -> [UInt8] {
        Array(magic.utf8) + [0x0A] + key
    }
}
