import Foundation

/// RFC 2045 §6.7 quoted-printable for text bodies: line breaks become CRLF hard
/// breaks, encoded lines are at most 76 characters (soft breaks `=`), trailing
/// spaces and tabs are encoded so transports that strip them change nothing.
enum QuotedPrintable {
    static let maxLine = 76

    static func encode(_ text: String) -> String {
        var out = ""
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            if index > 0 { out += "\r\n" }
            out += encodeLine(Array(line.utf8))
        }
        return out
    }

    private static func encodeLine(_ bytes: [UInt8]) -> String {
        var out = ""
        var column = 0
        for (i, byte) in bytes.enumerated() {
            let isLast = i == bytes.count - 1
            var token: String
            switch byte {
            case 0x20, 0x09: token = isLast ? escape(byte) : String(UnicodeScalar(byte))
            case 0x3D: token = escape(byte)
            // "From " at the start of a line is mangled by mbox tools; a leading "." by naive SMTP code.
            case 0x46 where i == 0 && bytes.starts(with: Array("From ".utf8)): token = escape(byte)
            case 0x2E where i == 0: token = escape(byte)
            case 0x21...0x7E: token = String(UnicodeScalar(byte))
            default: token = escape(byte)
            }
            // Leave room for the soft break "=" unless this is the last token of the line.
            let room = isLast ? maxLine : maxLine - 1
            if column + token.count > room {
                out += "=\r\n"
                column = 0
            }
            out += token
            column += token.count
        }
        return out
    }

    private static func escape(_ byte: UInt8) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        return String(decoding: [0x3D, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]], as: UTF8.self)
    }
}

/// Content-Transfer-Encoding for a UTF-8 text part: quoted-printable keeps
/// Latin text readable, base64 is about half the size for CJK text; take the shorter.
enum BodyEncoding: String {
    case quotedPrintable = "quoted-printable"
    case base64

    static func encode(_ text: String) -> (encoding: BodyEncoding, body: String) {
        let qp = QuotedPrintable.encode(text)
        let b64 = base64Lines(Array(text.replacingOccurrences(of: "\r\n", with: "\n")
            .replacingOccurrences(of: "\n", with: "\r\n").utf8))
        return qp.utf8.count <= b64.utf8.count ? (.quotedPrintable, qp) : (.base64, b64)
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
