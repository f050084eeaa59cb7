import Foundation

/// Content-Transfer-Encoding for a UTF-8 text part: quoted-printable keeps
/// Latin text readable, base64 is about half the size for CJK text; take the shorter.
enum BodyEncoding: String {
    case quotedPrintable = "quoted-printable"
    case base64

    /// Sizes are estimated from the bytes first, so only the chosen encoding is
    /// computed (one message per subscriber: this runs thousands of times).
    static func encode(_ text: String) -> (encoding: BodyEncoding, body: String) {
        let bytes = crlf(text)
        var escaped = 0
        for byte in bytes where !(0x20...0x7E).contains(byte) && byte != 0x0D && byte != 0x0A || byte == 0x3D { escaped += 1 }
        let qpSize = bytes.count + 2 * escaped
        let base64Size = (bytes.count + 2) / 3 * 4
        // Soft and hard line breaks add about the same share to both.
        return qpSize <= base64Size ? (.quotedPrintable, QuotedPrintable.encode(text)) : (.base64, base64Lines(bytes))
    }

    /// The text's bytes with every line break as CRLF, the canonical form MIME encodes.
    static func crlf(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + text.utf8.count / 16)
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if byte == 0x0A, previous != 0x0D { out.append(0x0D) }
            out.append(byte)
            previous = byte
        }
        return out
    }

    static func base64Lines(_ bytes: [UInt8]) -> String {
        let flat = Data(bytes).base64EncodedString()
        var lines: [Substring] = []
        var start = flat.startIndex
        while start < flat.endIndex {
            let end = flat.index(start, offsetBy: 76, limitedBy: flat.endIndex) ?? flat.endIndex
            lines.append(flat[start..<end])
            start = end
        }
        return lines.joined(separator: "\r\n")
    }
}
