/// HTML text or an attribute value as the characters it stands for: numeric character
/// references (`&#160;`, `&#x21a9;`) and the five named ones XML predefines (`&amp;`
/// `&lt;` `&gt;` `&quot;` `&apos;`), the references cmark, Herald's own escaping
/// (`HTMLEscaping`) and the footnotes write. Decoding is one pass, so `&amp;lt;` is `&lt;`.
/// Anything else that starts with `&` (an unknown name, a missing `;`, `&#0;`, a number
/// beyond Unicode or a surrogate) stays as written.
package enum HTMLEntities {
    package static func decoded(_ text: String) -> String {
        guard text.utf8.contains(ampersand) else { return text }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == ampersand, let (scalar, length) = reference(in: bytes, at: i) {
                UTF8.encode(scalar) { out.append($0) }
                i += length
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let ampersand = UInt8(ascii: "&"), semicolon = UInt8(ascii: ";"), hash = UInt8(ascii: "#")
    private static let named: [String: Unicode.Scalar] = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'"]
    /// `&#x10FFFF;` and `&#1114111;`: no reference Herald decodes is longer.
    private static let longest = 10

    /// The reference at `start` (from `&` to `;`): the scalar it stands for and its length in bytes.
    private static func reference(in bytes: [UInt8], at start: Int) -> (Unicode.Scalar, Int)? {
        guard let end = bytes[start...].prefix(longest).firstIndex(of: semicolon) else { return nil }
        let name = bytes[(start + 1)..<end]
        let scalar = name.first == hash ? number(name.dropFirst()) : named[String(decoding: name, as: UTF8.self)]
        return scalar.map { ($0, end - start + 1) }
    }

    /// `160` or `x21a9` (`X` too): a scalar other than NUL.
    private static func number(_ digits: ArraySlice<UInt8>) -> Unicode.Scalar? {
        let isHex = digits.first == UInt8(ascii: "x") || digits.first == UInt8(ascii: "X")
        let digits = isHex ? digits.dropFirst() : digits
        guard !digits.isEmpty else { return nil }
        var value: UInt32 = 0
        for byte in digits {
            guard let digit = isHex ? HexDigit.value(byte) : decimal(byte) else { return nil }
            value = value * (isHex ? 16 : 10) + UInt32(digit)
        }
        return value == 0 ? nil : Unicode.Scalar(value)
    }

    private static func decimal(_ byte: UInt8) -> UInt8? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? byte - UInt8(ascii: "0") : nil
    }
}
