import Foundation
import HeraldBase

/// RFC 2045 §6.7 quoted-printable for text bodies: line breaks become CRLF hard
/// breaks, encoded lines are at most 76 characters (soft breaks `=`), trailing
/// spaces and tabs are encoded so transports that strip them change nothing.
package enum QuotedPrintable {
    package static let maxLine = 76

    /// Works on bytes, not a String per byte: digests go to every subscriber.
    package static func encode(_ text: String) -> String {
        String(decoding: encode(sequence: text.utf8), as: UTF8.self)
    }

    /// The same on an array: what the digest's cache (another module) calls, where the
    /// generic version below would run unspecialized, a witness call per byte.
    package static func encode(bytes: [UInt8]) -> [UInt8] { encode(sequence: bytes) }

    /// The same on UTF-8 bytes. Lines are encoded independently, so text cut
    /// after a line feed encodes piece by piece to the same bytes as a whole.
    static func encode(sequence bytes: some Sequence<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        var line: [UInt8] = []
        for byte in bytes {
            guard byte == 0x0A else {
                line.append(byte)
                continue
            }
            if line.last == 0x0D { line.removeLast() }
            encodeLine(line, into: &out)
            out.append(0x0D)
            out.append(0x0A)
            line.removeAll(keepingCapacity: true)
        }
        encodeLine(line, into: &out)
        return out
    }

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
                Hex.appendUppercase(byte, to: &out)
            }
            column += width
        }
    }

    /// Decodes a quoted-printable body (LF line ends): `=XX` octets, `=` at a line's end
    /// joins it to the next. A malformed escape is kept as written, as RFC 2045 suggests.
    package static func decode(_ text: some StringProtocol) -> String {
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            guard byte == UInt8(ascii: "=") else {
                out.append(byte)
                i += 1
                continue
            }
            var j = i + 1
            while j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x09 || bytes[j] == 0x0D { j += 1 }
            if j == bytes.count || bytes[j] == 0x0A {
                i = j + 1
                continue
            } // soft line break
            if i + 2 < bytes.count, let high = HexDigit.value(bytes[i + 1]), let low = HexDigit.value(bytes[i + 2]) {
                out.append(high << 4 | low)
                i += 3
            } else {
                out.append(byte)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
