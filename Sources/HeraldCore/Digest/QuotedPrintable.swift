import Foundation

/// RFC 2045 §6.7 quoted-printable for text bodies: line breaks become CRLF hard
/// breaks, encoded lines are at most 76 characters (soft breaks `=`), trailing
/// spaces and tabs are encoded so transports that strip them change nothing.
enum QuotedPrintable {
    static let maxLine = 76

    /// Works on bytes, not a String per byte: digests go to every subscriber.
    static func encode(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count * 2)
        var line: [UInt8] = []
        for byte in text.utf8 {
            guard byte == 0x0A else { line.append(byte); continue }
            if line.last == 0x0D { line.removeLast() }
            encodeLine(line, into: &out)
            out.append(0x0D)
            out.append(0x0A)
            line.removeAll(keepingCapacity: true)
        }
        encodeLine(line, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static let hex = Array("0123456789ABCDEF".utf8)
    private static let from = Array("From ".utf8)

    private static func encodeLine(_ bytes: [UInt8], into out: inout [UInt8]) {
        var column = 0
        let last = bytes.count - 1
        for i in bytes.indices {
            let byte = bytes[i]
            let isLast = i == last
            let literal: Bool
            switch byte {
            case 0x20, 0x09: literal = !isLast
            case 0x3D: literal = false
            // "From " at the start of a line is mangled by mbox tools; a leading "." by naive SMTP code.
            case 0x46 where i == 0 && bytes.starts(with: from): literal = false
            case 0x2E where i == 0: literal = false
            case 0x21...0x7E: literal = true
            default: literal = false
            }
            let width = literal ? 1 : 3
            // Leave room for the soft break "=" unless this is the last character of the line.
            if column + width > (isLast ? maxLine : maxLine - 1) {
                out.append(0x3D)
                out.append(0x0D)
                out.append(0x0A)
                column = 0
            }
            if literal {
                out.append(byte)
            } else {
                out.append(0x3D)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
            column += width
        }
    }
}

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
