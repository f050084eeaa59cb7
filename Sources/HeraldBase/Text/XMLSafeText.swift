/// Characters XML 1.0 forbids (C0 controls other than tab/LF/CR, U+FFFE, U+FFFF)
/// would make every feed that carries them unparseable, so they are dropped at load
/// time, once, instead of being escaped by each writer: from the front matter before
/// YAML sees it (scan), from the body before Markdown does (render). Lone surrogates cannot exist in
/// a Swift `String`; their UTF-8 encodings are dropped by `SourceText` while decoding.
package enum XMLSafeText {
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: true
        case 0x00..<0x20: false
        case 0xFFFE, 0xFFFF: false
        default: true
        }
    }

    /// `text` without forbidden characters; returns the same string (no copy) when clean,
    /// which is nearly always, so the check is one pass over the UTF-8 bytes.
    package static func clean(_ text: String) -> String {
        guard needsCleaning(text) else { return text }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.lazy.filter(isAllowed))
        return String(scalars)
    }

    static func needsCleaning(_ text: String) -> Bool {
        var text = text
        // On the contiguous bytes, 8 at a time: a word with no control byte and no 0xEF
        // (the lead byte of U+FFFE / U+FFFF) is clean, and nearly all words are. The scan
        // runs over every post body and every feed's HTML.
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return false }
            let raw = UnsafeRawPointer(base)
            var i = 0
            while i + 8 <= bytes.count {
                let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if SWAR.hasLess(word, than: 0x20) || SWAR.has(word, 0xEF),
                    (i..<(i + 8)).contains(where: { isForbidden(bytes, at: $0) })
                {
                    return true
                }
                i += 8
            }
            return (i..<bytes.count).contains { isForbidden(bytes, at: $0) }
        }
    }

    /// Whether the character starting at byte `i` (or the byte, if it continues one) is forbidden.
    @inline(__always)
    private static func isForbidden(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        let byte = bytes[i]
        if byte < 0x20 { return byte != 0x09 && byte != 0x0A && byte != 0x0D }
        // U+FFFE / U+FFFF are EF BF BE / EF BF BF.
        return byte == 0xEF && i + 2 < bytes.count && bytes[i + 1] == 0xBF && bytes[i + 2] >= 0xBE
    }
}

/// Byte tests on 8 bytes at once ("SIMD within a register"). Each says whether *any*
/// byte of the word matches, exactly; which one is left to a byte loop over that word.
package enum SWAR {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Some byte of `word` is `byte`.
    @inline(__always)
    package static func has(_ word: UInt64, _ byte: UInt8) -> Bool {
        hasZero(word ^ (ones &* UInt64(byte)))
    }

    /// Some byte of `word` is below `limit` (at most 128).
    @inline(__always)
    static func hasLess(_ word: UInt64, than limit: UInt8) -> Bool {
        (word &- ones &* UInt64(limit)) & ~word & highs != 0
    }

    @inline(__always)
    private static func hasZero(_ word: UInt64) -> Bool {
        (word &- ones) & ~word & highs != 0
    }
}
