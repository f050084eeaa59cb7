import Foundation
import HeraldConfig

/// The bytes of a cache file's body: little-endian integers, doubles by bit pattern,
/// length-prefixed UTF-8 strings. Plain bytes rather than JSON: decoding 10,000 posts'
/// front matter from JSON would cost what parsing it again does.
package struct CacheWriter {
    package private(set) var bytes: [UInt8] = []

    package init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    package mutating func uint(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }

    package mutating func int(_ value: Int64) { uint(UInt64(bitPattern: value)) }
    package mutating func int(_ value: Int) { int(Int64(value)) }
    package mutating func double(_ value: Double) { uint(value.bitPattern) }
    package mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    package mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            uint(UInt64(utf8.count))
            bytes += utf8
        }
    }

    package mutating func string(_ value: String?) {
        bool(value != nil)
        if let value { string(value) }
    }

    package mutating func strings(_ list: [String]) {
        uint(UInt64(list.count))
        list.forEach { string($0) }
    }

    package mutating func raw(_ value: [UInt8]) { bytes += value }
    package mutating func raw(_ value: UnsafeRawBufferPointer) { bytes += value }

    /// Forgets what was written, keeping the buffer (the part already on disk, for a log
    /// written as it is made).
    package mutating func clear() { bytes.removeAll(keepingCapacity: true) }

    /// Puts `value` over the eight bytes at `offset`, written earlier as a placeholder.
    package mutating func patch(_ value: UInt64, at offset: Int) {
        withUnsafeBytes(of: value.littleEndian) { value in
            for i in 0..<8 { bytes[offset + i] = value[i] }
        }
    }
}

/// Reads what `CacheWriter` wrote, from one record of a `CacheLog` as read; any read past the
/// end is `CacheCorrupt` (the entry is then not used). Strings are not validated again: the log's
/// checksums prove its bytes are this herald's. It must not outlive the `CacheLog.Contents` it reads.
package struct CacheReader {
    private let bytes: UnsafeRawBufferPointer
    package private(set) var offset = 0

    package init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    package var atEnd: Bool { offset == bytes.count }

    package mutating func uint() throws(CacheCorrupt) -> UInt64 {
        guard bytes.count - offset >= 8 else { throw CacheCorrupt() }
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        offset += 8
        return UInt64(littleEndian: value)
    }

    package mutating func int() throws(CacheCorrupt) -> Int64 { Int64(bitPattern: try uint()) }

    package mutating func count() throws(CacheCorrupt) -> Int {
        let value = try uint()
        // No count in a cache is larger than the bytes left: a garbled one is caught here,
        // before anything is allocated for it.
        guard value <= UInt64(bytes.count - offset) else { throw CacheCorrupt() }
        return Int(value)
    }

    package mutating func double() throws(CacheCorrupt) -> Double { Double(bitPattern: try uint()) }

    package mutating func bool() throws(CacheCorrupt) -> Bool {
        guard offset < bytes.count, bytes[offset] <= 1 else { throw CacheCorrupt() }
        offset += 1
        return bytes[offset - 1] == 1
    }

    package mutating func string() throws(CacheCorrupt) -> String {
        let length = try count()
        // Decoded, not validated: the bytes passed their segment's checksum, so they are
        // what this herald wrote of a String. `String(validating:)` is generic over the
        // bytes, and instantiating it cost as much as the validation, for every string
        // of 10,000 entries (BENCHMARKS.md, "Incremental builds").
        let text = String(
            decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length]).assumingMemoryBound(to: UInt8.self),
            as: UTF8.self)
        offset += length
        return text
    }

    /// A string's bytes, not validated nor copied: valid as long as the buffer read.
    package mutating func stringBytes() throws(CacheCorrupt) -> UnsafeRawBufferPointer {
        let length = try count()
        defer { offset += length }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length])
    }

    /// Goes to `offset`, a place an earlier reader of the same bytes was at.
    package mutating func seek(_ offset: Int) {
        self.offset = min(max(offset, 0), bytes.count)
    }

    /// Passes over an optional string without making it.
    package mutating func skipOptionalString() throws(CacheCorrupt) {
        if try bool() { try skipString() }
    }

    /// Passes over a string without making it.
    package mutating func skipString() throws(CacheCorrupt) {
        offset += try count()
    }

    package mutating func optionalString() throws(CacheCorrupt) -> String? {
        try bool() ? try string() : nil
    }

    package mutating func strings() throws(CacheCorrupt) -> [String] {
        let n = try count()
        var list: [String] = []
        list.reserveCapacity(n)
        for _ in 0..<n { list.append(try string()) }
        return list
    }

    package mutating func raw(_ length: Int) throws(CacheCorrupt) -> [UInt8] {
        guard bytes.count - offset >= length else { throw CacheCorrupt() }
        defer { offset += length }
        return Array(bytes[offset..<offset + length])
    }
}

/// A cache file that does not hold what its writer wrote.
package struct CacheCorrupt: Error {
    package init() {}
}

/// A file's stamp in a cache: what says the file is still the one an entry was made from.
/// The path is written first and skipped on reading (the caller's index matched it).
extension CacheWriter {
    package mutating func stamp(_ stamp: FileStamp, path: String) {
        string(path)
        int(stamp.size)
        int(stamp.seconds)
        int(stamp.nanoseconds)
        int(stamp.changeSeconds)
        int(stamp.changeNanoseconds)
        uint(stamp.device)
        uint(stamp.inode)
    }
}

/// Every field of a post's metadata: the scan cache's entry, and what the feed-entry cache
/// hashes to know an entry was made from this metadata. The facts every build needs come
/// first; `PostMeta.Details` last, which the scan cache decodes only for a post that is shown.
extension CacheWriter {
    package mutating func meta(_ meta: PostMeta) {
        string(meta.source)
        string(meta.permalinkText)
        double(meta.date.timeIntervalSinceReferenceDate)
        int(meta.utcOffset)
        double(meta.updated.timeIntervalSinceReferenceDate)
        strings(meta.categories)
        strings(meta.tags)
        bool(meta.draft)
        double(meta.publishDate.timeIntervalSinceReferenceDate)
        bool(meta.expiryDate != nil)
        if let expiry = meta.expiryDate { double(expiry.timeIntervalSinceReferenceDate) }
        let details = meta.details
        string(details.title)
        string(details.slug)
        string(details.author.name)
        string(details.author.uri)
        string(details.author.email)
        string(details.description)
        string(details.summaryOverride)
        string(details.coverText)
    }
}

extension CacheReader {
    /// The stamp written by `CacheWriter.stamp`, given `path` (the one looked up).
    package mutating func stamp(path: String) throws(CacheCorrupt) -> FileStamp {
        try skipString()
        return FileStamp(
            path: path, readable: true, size: try int(), seconds: try int(), nanoseconds: try int(),
            changeSeconds: try int(), changeNanoseconds: try int(), device: try uint(), inode: try uint())
    }
}
