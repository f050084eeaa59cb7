#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A post file's bytes made into the text every later stage relies on: UTF-8 checked
/// (with the byte offset of the first bad byte), BOM dropped, CRLF and lone CR made LF.
/// Characters XML forbids are removed later, from the parts actually used (`XMLSafeText`).
enum SourceText {
    /// Posts larger than this are refused: a real post is a few hundred KB at most, and
    /// the limit keeps one runaway file from taking the whole run's memory.
    static let maxPostBytes = 4 << 20

    /// Reads and decodes one post; every failure is a problem naming the file.
    /// Plain open/fstat/read: Foundation's resource values and Data(contentsOf:) cost more
    /// than parsing the front matter, and scan reads every file in the folder.
    /// `directory`: a folder's descriptor that a relative `file` is opened from (openat),
    /// which spares the kernel the walk down from `/` for each of 10,000 posts.
    static func read(_ file: String, in directory: Int32 = AT_FDCWD, shownAs path: String) throws(SourceProblem) -> String {
        let fd = openat(directory, file, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw SourceProblem(path: path, line: 1, message: "cannot read the file: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw SourceProblem(path: path, line: 1, message: "cannot read the file: \(String(cString: strerror(errno)))")
        }
        let size = Int(info.st_size)
        guard size <= maxPostBytes else {
            throw SourceProblem(path: path, line: 1, message:
                "post is \(size >> 10) KB, larger than the \(maxPostBytes >> 20) MB limit: split it or move large data out of the post")
        }
        // One byte more than the size, to notice a file that grew since fstat.
        var data = Data(count: size + 1)
        let count = data.withUnsafeMutableBytes { buffer in
            var total = 0
            while total < buffer.count {
                let n = Glibc.read(fd, buffer.baseAddress! + total, buffer.count - total)
                if n <= 0 { return n < 0 ? -1 : total }
                total += n
            }
            return total
        }
        guard count >= 0 else {
            throw SourceProblem(path: path, line: 1, message: "cannot read the file: \(String(cString: strerror(errno)))")
        }
        guard count <= maxPostBytes else {
            throw SourceProblem(path: path, line: 1, message: "post is larger than the \(maxPostBytes >> 20) MB limit")
        }
        data.count = count
        return try decode(data, path: path)
    }

    static func decode(_ data: Data, path: String) throws(SourceProblem) -> String {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        let text: String
        // The standard library's validator on the raw bytes: Foundation's overload for
        // Data goes through String(bytes:encoding:) and costs twice as much.
        if let valid = bytes.withUnsafeBytes({ String(validating: $0.assumingMemoryBound(to: UInt8.self), as: UTF8.self) }) {
            text = valid
        } else {
            text = try decodeDroppingSurrogates(bytes, path: path)
        }
        return normalizeLineEnds(text)
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
    private static func decodeDroppingSurrogates(_ bytes: Data.SubSequence, path: String) throws(SourceProblem) -> String {
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
        throw SourceProblem(path: path, line: line, message:
            "invalid UTF-8 at byte \(offset) (0x\(String(bytes[offset], radix: 16, uppercase: true))): save the file as UTF-8")
    }

    /// ED A0..BF 80..BF: U+D800…U+DFFF written as if they were characters.
    private static func isEncodedSurrogate(_ bytes: Data.SubSequence, at i: Int) -> Bool {
        bytes[i] == 0xED && i + 2 < bytes.endIndex && (0xA0...0xBF).contains(bytes[i + 1]) && (0x80...0xBF).contains(bytes[i + 2])
    }

    /// Offset (from the start of the file) of the first byte that is not part of valid UTF-8.
    private static func firstInvalidOffset(_ bytes: Data.SubSequence) -> Int {
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
