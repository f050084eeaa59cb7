import Foundation
import HeraldBase

#if canImport(Glibc)
    import Glibc
#endif

/// A post file's bytes made into the text every later stage relies on: UTF-8 checked
/// (with the byte offset of the first bad byte), BOM dropped, CRLF and lone CR made LF.
/// Characters XML forbids are removed later, from the parts actually used (`XMLSafeText`).
enum SourceText {
    /// Posts larger than this are refused: a real post is a few hundred KB at most, and
    /// the limit keeps one runaway file from taking the whole run's memory.
    static let maxPostBytes = 4 << 20

    /// Reads and decodes one post; every failure is a problem naming the file.
    /// `directory`: a folder's descriptor that a relative `file` is opened from (openat),
    /// which spares the kernel the walk down from `/` for each of 10,000 posts.
    static func read(_ file: String, in directory: Int32 = AT_FDCWD, shownAs path: String) throws(SourceProblem) -> String {
        try withBytes(of: file, in: directory, shownAs: path) { bytes, _ throws(SourceProblem) in
            try decode(bytes, path: path)
        }
    }

    /// What the scan needs of a post: the text through the front matter's closing fence
    /// (all `FrontMatter.split` looks at), and the file's stamp for the build fingerprint.
    /// The whole file is still checked as UTF-8, in place; only the head becomes a String,
    /// so the body (most of the bytes) is never copied.
    static func readHead(
        _ file: String, in directory: Int32 = AT_FDCWD, shownAs path: String,
        stampedAs stampPath: String
    ) throws(SourceProblem) -> (text: String, stamp: FileStamp) {
        let read = try readHead(file, in: directory, shownAs: path, stampedAs: stampPath, digestIf: { _ in false })
        return (read.text, read.stamp)
    }

    /// `readHead`, and the digest of the very bytes read when `digestIf` says so of the
    /// stamp: the scan cache keeps it for a file that may still change unseen (`ScanCache`).
    static func readHead(
        _ file: String, in directory: Int32 = AT_FDCWD, shownAs path: String,
        stampedAs stampPath: String, digestIf: (FileStamp) -> Bool
    ) throws(SourceProblem) -> (text: String, stamp: FileStamp, digest: ContentDigest?) {
        try withBytes(of: file, in: directory, shownAs: path) { bytes, info throws(SourceProblem) in
            let stamp = FileStamp(path: stampPath, info)
            let digest = digestIf(stamp) ? ContentDigest(bytes) : nil
            let content = droppingBOM(bytes)
            let hasCR = !content.isEmpty && memchr(content.base.baseAddress! + content.startIndex, 0x0D, content.count) != nil
            // CR line ends and bad bytes take the full decoder, which normalizes or reports them.
            guard !hasCR,
                (try? UTF8Span(validating: UnsafeRawBufferPointer(rebasing: content).assumingMemoryBound(to: UInt8.self).span)) != nil
            else { return (try decode(bytes, path: path), stamp, digest) }
            let head = content[..<headEnd(content)]
            return (String(decoding: UnsafeRawBufferPointer(rebasing: head), as: UTF8.self), stamp, digest)
        }
    }

    /// The digest of a file's bytes as they are now, and the stamp they were read under.
    static func digest(_ file: String, in directory: Int32 = AT_FDCWD, stampedAs stampPath: String) throws(SourceProblem)
        -> (digest: ContentDigest, stamp: FileStamp)
    {
        try withBytes(of: file, in: directory, shownAs: stampPath) { bytes, info in
            (ContentDigest(bytes), FileStamp(path: stampPath, info))
        }
    }

    /// Where a prefix holding the whole front matter ends: after the second line that is
    /// `---` or `...` (trailing blanks ignored). The first such line is the opening fence
    /// or the one `FrontMatter.split` refuses; the second closes it. Without one, the end.
    static func headEnd(_ bytes: UnsafeRawBufferPointer.SubSequence) -> Int {
        var fences = 0
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let newline = bytes[start...].firstIndex(of: 0x0A) ?? bytes.endIndex
            var end = newline
            while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
            if end - start == 3, bytes[start] == bytes[start + 1], bytes[start] == bytes[start + 2],
                bytes[start] == UInt8(ascii: "-") || bytes[start] == UInt8(ascii: ".")
            {
                fences += 1
                if fences == 2 { return min(newline + 1, bytes.endIndex) }
            }
            start = newline + 1
        }
        return bytes.endIndex
    }

    /// The file's bytes (and its fstat) for the duration of `body`, in a temporary buffer:
    /// no Data, no zero-filling. Plain open/fstat/read: Foundation's resource values and
    /// Data(contentsOf:) cost more than parsing the front matter.
    private static func withBytes<R>(
        of file: String, in directory: Int32, shownAs path: String,
        _ body: (UnsafeRawBufferPointer, stat) throws(SourceProblem) -> R
    ) throws(SourceProblem) -> R {
        func unreadable(_ error: SystemError) -> SourceProblem {
            SourceProblem(path: path, line: 1, message: "cannot read the file: \(error.reason)")
        }
        let fd: Int32
        do { fd = try Syscall.call("openat") { openat(directory, file, O_RDONLY | O_CLOEXEC) } } catch { throw unreadable(error) }
        defer { close(fd) }
        var info = stat()
        do { try Syscall.call("fstat") { fstat(fd, &info) } } catch { throw unreadable(error) }
        let size = Int(info.st_size)
        guard size <= maxPostBytes else {
            throw SourceProblem(
                path: path, line: 1,
                message:
                    "post is \(size >> 10) KB, larger than the \(maxPostBytes >> 20) MB limit: split it or move large data out of the post")
        }
        // One byte more than the size, to notice a file that grew since fstat.
        let result: Result<R, SourceProblem> = withUnsafeTemporaryAllocation(byteCount: size + 1, alignment: 1) { buffer in
            var total = 0
            while total < buffer.count {
                let n: Int
                do throws(SystemError) {
                    n = try Syscall.call("read") { Glibc.read(fd, buffer.baseAddress! + total, buffer.count - total) }
                } catch {
                    return .failure(unreadable(error))
                }
                if n == 0 { break }
                total += n
            }
            guard total <= size else {
                return .failure(SourceProblem(path: path, line: 1, message: "the file changed while it was read: run herald again"))
            }
            return Result { () throws(SourceProblem) in try body(UnsafeRawBufferPointer(rebasing: buffer[..<total]), info) }
        }
        return try result.get()
    }

    static func decode(_ data: Data, path: String) throws(SourceProblem) -> String {
        try data.withUnsafeBytes { raw in Result { () throws(SourceProblem) in try decode(raw, path: path) } }.get()
    }

    static func decode(_ raw: UnsafeRawBufferPointer, path: String) throws(SourceProblem) -> String {
        let bytes = droppingBOM(raw)
        let text: String
        // The standard library's validator on the raw bytes: Foundation's overload for
        // Data goes through String(bytes:encoding:), which is slower (BENCHMARKS.md,
        // "Where the speed tricks came from").
        if let valid = String(validating: UnsafeRawBufferPointer(rebasing: bytes).assumingMemoryBound(to: UInt8.self), as: UTF8.self) {
            text = valid
        } else {
            text = try decodeDroppingSurrogates(bytes, path: path)
        }
        return normalizeLineEnds(text)
    }

    /// The bytes after a UTF-8 byte order mark, if the file starts with one; indices stay
    /// offsets in the file.
    private static func droppingBOM(_ bytes: UnsafeRawBufferPointer) -> Slice<UnsafeRawBufferPointer> {
        bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
    }

    private static func normalizeLineEnds(_ text: String) -> String {
        guard !text.isEmpty else { return text }
        var copy = text
        guard copy.withUTF8({ memchr($0.baseAddress!, 0x0D, $0.count) != nil }) else { return text }
        return text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    /// Slow path: UTF-8 that encodes lone surrogates (ED A0..BF xx, as CESU-8 or a bad
    /// converter writes them) has those three bytes removed; any other bad byte is a
    /// problem at its offset, because guessing an encoding would publish mojibake.
    private static func decodeDroppingSurrogates(_ bytes: Slice<UnsafeRawBufferPointer>, path: String) throws(SourceProblem) -> String {
        var kept: [UInt8] = []
        kept.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if isEncodedSurrogate(bytes, at: i) {
                i += 3
                continue
            }
            kept.append(bytes[i])
            i += 1
        }
        if let valid = String(validating: kept, as: UTF8.self) { return valid }
        let offset = firstInvalidOffset(bytes)
        let line = bytes[bytes.startIndex..<offset].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        throw SourceProblem(
            path: path, line: line,
            message:
                "invalid UTF-8 at byte \(offset) (0x\(String(bytes[offset], radix: 16, uppercase: true))): save the file as UTF-8")
    }

    /// ED A0..BF 80..BF: U+D800…U+DFFF written as if they were characters.
    private static func isEncodedSurrogate(_ bytes: Slice<UnsafeRawBufferPointer>, at i: Int) -> Bool {
        bytes[i] == 0xED && i + 2 < bytes.endIndex && (0xA0...0xBF).contains(bytes[i + 1]) && (0x80...0xBF).contains(bytes[i + 2])
    }

    /// Offset (from the start of the file) of the first byte that is not part of valid UTF-8.
    private static func firstInvalidOffset(_ bytes: Slice<UnsafeRawBufferPointer>) -> Int {
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var offset = bytes.startIndex
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s):
                offset += UTF8.width(s)
            case .emptyInput:
                return bytes.endIndex - 1
            case .error:
                // A lone surrogate's bytes were dropped above; skip them here too.
                if isEncodedSurrogate(bytes, at: offset) {
                    iterator = bytes[(offset + 3)...].makeIterator()
                    decoder = UTF8()
                    offset += 3
                    continue
                }
                return offset
            }
        }
    }
}
