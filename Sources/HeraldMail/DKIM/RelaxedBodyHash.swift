import Crypto
import Foundation

/// RFC 6376 §3.4.4 relaxed body canonicalization fed straight into SHA-256: runs of lines
/// the rule leaves as they are (no tab, no double or trailing space) are hashed where they
/// lie in the message; only the lines it changes are rewritten, into one scratch buffer.
/// Copying every 10 KB body into a canonical array first was the signer's largest cost
/// (BENCHMARKS.md, "DKIM signing"); `DKIMSignerTests` hold this to the rule written plainly.
enum RelaxedBodyHash {
    static func digest(_ body: UnsafeBufferPointer<UInt8>) -> SHA256.Digest {
        var hasher = SHA256()
        guard let base = body.baseAddress else { return hasher.finalize() }
        let n = body.count
        func feed(_ from: Int, _ to: Int) {
            if to > from { hasher.update(bufferPointer: UnsafeRawBufferPointer(start: base + from, count: to - from)) }
        }
        let crlf: [UInt8] = [0x0D, 0x0A]
        func feedLineEnds(_ count: Int) {
            for _ in 0..<count { crlf.withUnsafeBytes { hasher.update(bufferPointer: $0) } }
        }
        // Bytes [spanStart, spanEnd) are canonical as they stand and not yet hashed; after
        // them come `emptyLines` lines without text, written out only if text follows.
        var spanStart = 0, spanEnd = 0
        var emptyLines = 0
        var emptiesAreBare = true  // every pending empty line is exactly CRLF: the span can take them
        var finalLineEnd = false
        var scratch: [UInt8] = []
        var i = 0
        while i < n {
            // The line [i, end) and where the next starts: the first CRLF at or after i.
            var end = n, next = n
            var from = i
            while from < n, let hit = memchr(base + from, 0x0A, n - from) {
                let lf = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base
                if lf > i, base[lf - 1] == 0x0D { end = lf - 1; next = lf + 1; break }
                from = lf + 1
            }
            // Most lines end in text and hold no tab or double space: those are checked with
            // one branch-free pass; a line ending in a space or tab is rewritten.
            var clean = true, text = true
            if end == i {
                text = false
            } else if base[end - 1] == 0x20 || base[end - 1] == 0x09 {
                clean = false
                text = (i..<end).contains { base[$0] != 0x20 && base[$0] != 0x09 }
            } else {
                clean = !foldable(base + i, end - 1 - i)
            }
            if !text {
                emptyLines += 1
                if end != i { emptiesAreBare = false }
            } else if clean, next > end {
                if emptyLines > 0, !emptiesAreBare {
                    feed(spanStart, spanEnd)
                    feedLineEnds(emptyLines)
                    spanStart = i
                }
                spanEnd = next
                emptyLines = 0
                emptiesAreBare = true
            } else {
                feed(spanStart, spanEnd)
                feedLineEnds(emptyLines)
                emptyLines = 0
                emptiesAreBare = true
                if clean {
                    feed(i, end)  // the last line, without a line end
                } else {
                    scratch.removeAll(keepingCapacity: true)
                    var pendingSpace = false
                    for k in i..<end {
                        let byte = base[k]
                        if byte == 0x20 || byte == 0x09 { pendingSpace = true; continue }
                        if pendingSpace { scratch.append(0x20); pendingSpace = false }
                        scratch.append(byte)
                    }
                    scratch.withUnsafeBytes { hasher.update(bufferPointer: $0) }
                }
                if next > end { feedLineEnds(1) } else { finalLineEnd = true }
                spanStart = next
                spanEnd = next
            }
            i = next
        }
        feed(spanStart, spanEnd)
        if finalLineEnd { feedLineEnds(1) }
        return hasher.finalize()
    }

    /// Whether the `count` bytes from `p` hold a tab or a space followed by a space (`p[count]`
    /// is read). Eight bytes at a time: it runs over every line of every body.
    @inline(__always)
    private static func foldable(_ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        let raw = UnsafeRawPointer(p)
        var found: UInt64 = 0
        var k = 0
        while k + 8 <= count {
            let here = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: k, as: UInt64.self))
            let after = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: k + 1, as: UInt64.self))
            found |= zeroBytes(here ^ 0x0909_0909_0909_0909)
                | (zeroBytes(here ^ 0x2020_2020_2020_2020) & zeroBytes(after ^ 0x2020_2020_2020_2020))
            k += 8
        }
        var tail: UInt8 = 0
        while k < count {
            let a = p[k], b = p[k + 1]
            tail |= (a == 0x09 ? 1 : 0) | ((a == 0x20 ? 1 : 0) & (b == 0x20 ? 1 : 0))
            k += 1
        }
        return found != 0 || tail != 0
    }

    /// 0x80 in exactly the bytes of `v` that are zero.
    @inline(__always)
    private static func zeroBytes(_ v: UInt64) -> UInt64 {
        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        return ~(((v & low) &+ low) | v | low)
    }
}
