/// Characters XML 1.0 forbids (C0 controls other than tab/LF/CR, U+FFFE, U+FFFF)
/// would make every feed that carries them unparseable, so they are dropped at load
/// time, once, instead of being escaped by each writer: from the front matter before
/// YAML sees it (scan), from the body before Markdown does (render). Lone surrogates cannot exist in
/// a Swift `String`; their UTF-8 encodings are dropped by `SourceText` while decoding.
enum XMLSafeText {
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
    static func clean(_ text: String) -> String {
        guard needsCleaning(text) else { return text }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.lazy.filter(isAllowed))
        return String(scalars)
    }

    static func needsCleaning(_ text: String) -> Bool {
        var text = text
        // On the contiguous bytes: an iterator over `utf8` was a tenth of the scan.
        return text.withUTF8 { bytes in
            var i = 0
            while i < bytes.count {
                let byte = bytes[i]
                if byte < 0x20, byte != 0x09, byte != 0x0A, byte != 0x0D { return true }
                // U+FFFE / U+FFFF are EF BF BE / EF BF BF.
                if byte == 0xEF, i + 2 < bytes.count, bytes[i + 1] == 0xBF, bytes[i + 2] >= 0xBE { return true }
                i += 1
            }
            return false
        }
    }
}
