import Crypto
import Foundation

/// RFC 6376 §3.4.4 relaxed body canonicalization fed straight into SHA-256. A body differs
/// from its canonical form only in lines holding a tab, a double space or a space before a
/// line end, and in the empty lines and blanks at its end: those end bytes are left off,
/// the rare lines are rewritten into one scratch buffer, and everything between them is
/// hashed where it lies, in as few pieces as there are such lines. Copying every 10 KB
/// body into a canonical array, then going line by line, were each the signer's largest
/// cost in turn (BENCHMARKS.md, "DKIM signing"); `DKIMSignerTests` hold this to the rule
/// written plainly.
enum RelaxedBodyHash {
    static func digest(_ body: UnsafeBufferPointer<UInt8>) -> SHA256.Digest {
        var hasher = SHA256()
        guard let base = body.baseAddress else { return hasher.finalize() }
        // Blank lines at the end go, and so do the blanks ending the last line with text.
        let end = contentEnd(base, body.count)
        guard end > 0 else { return hasher.finalize() }
        func feed(_ from: Int, _ to: Int) {
            if to > from { hasher.update(bufferPointer: UnsafeRawBufferPointer(start: base + from, count: to - from)) }
        }
        var scratch: [UInt8] = []
        var spanStart = 0 // bytes from here on are canonical as they stand and not yet hashed
        var from = 0 // a line start, or the CRLF before one
        while let dirty = firstDirty(base, from: from, to: end) {
            var lineStart = dirty
            while lineStart > from, !(lineStart >= 2 && base[lineStart - 1] == 0x0A && base[lineStart - 2] == 0x0D) {
                lineStart -= 1
            }
            let lineEnd = lineEnd(base, from: dirty, to: end)
            feed(spanStart, lineStart)
            scratch.removeAll(keepingCapacity: true)
            var pendingSpace = false
            for k in lineStart..<lineEnd {
                let byte = base[k]
                if byte == 0x20 || byte == 0x09 {
                    pendingSpace = true
                    continue
                }
                if pendingSpace {
                    scratch.append(0x20)
                    pendingSpace = false
                }
                scratch.append(byte)
            }
            scratch.withUnsafeBytes { hasher.update(bufferPointer: $0) }
            spanStart = lineEnd
            from = lineEnd
        }
        feed(spanStart, end)
        withUnsafeBytes(of: (UInt8(0x0D), UInt8(0x0A))) { hasher.update(bufferPointer: $0) }
        return hasher.finalize()
    }

    /// The body without the CRLFs, spaces and tabs at its end: the canonical body is what
    /// comes before, canonicalized, and one CRLF (none if nothing comes before).
    static func contentEnd(_ base: UnsafePointer<UInt8>, _ count: Int) -> Int {
        var end = count
        while end > 0 {
            if base[end - 1] == 0x20 || base[end - 1] == 0x09 {
                end -= 1
            } else if end >= 2, base[end - 1] == 0x0A, base[end - 2] == 0x0D {
                end -= 2
            } else {
                break
            }
        }
        return end
    }

    /// Where the line holding `at` ends: its CRLF, or `to`.
    private static func lineEnd(_ base: UnsafePointer<UInt8>, from at: Int, to end: Int) -> Int {
        var from = at
        while from < end, let hit = memchr(base + from, 0x0A, end - from) {
            let lf = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base
            if base[lf - 1] == 0x0D { return lf - 1 }
            from = lf + 1
        }
        return end
    }

    /// The first tab, or space followed by a space or CR, in [from, to); the byte at
    /// `to - 1` is neither a space nor a tab (`contentEnd`). Sixteen bytes at a time.
    static func firstDirty(_ base: UnsafePointer<UInt8>, from: Int, to end: Int) -> Int? {
        let raw = UnsafeRawPointer(base)
        let tab = SIMD16<UInt8>(repeating: 0x09)
        let space = SIMD16<UInt8>(repeating: 0x20)
        let cr = SIMD16<UInt8>(repeating: 0x0D)
        var k = from
        while k + 17 <= end {
            let here = raw.loadUnaligned(fromByteOffset: k, as: SIMD16<UInt8>.self)
            let after = raw.loadUnaligned(fromByteOffset: k + 1, as: SIMD16<UInt8>.self)
            let found = (here .== tab) .| ((here .== space) .& ((after .== space) .| (after .== cr)))
            if any(found) {
                for lane in 0..<16 where found[lane] { return k + lane }
            }
            k += 16
        }
        while k < end {
            let byte = base[k]
            if byte == 0x09 || (byte == 0x20 && k + 1 < end && (base[k + 1] == 0x20 || base[k + 1] == 0x0D)) { return k }
            k += 1
        }
        return nil
    }
}
