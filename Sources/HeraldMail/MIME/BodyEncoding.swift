import Foundation

/// Content-Transfer-Encoding for a UTF-8 text part: quoted-printable keeps
/// Latin text readable, base64 is about half the size for CJK text; take the shorter.
package enum BodyEncoding: String {
    case quotedPrintable = "quoted-printable"
    case base64

    /// Sizes are estimated from the bytes first, so only the chosen encoding is
    /// computed (one message per subscriber: this runs thousands of times).
    package static func encode(_ text: String) -> (encoding: BodyEncoding, body: String) {
        switch Size(sequence: text.utf8).encoding {
        case .quotedPrintable: (.quotedPrintable, QuotedPrintable.encode(text))
        case .base64: (.base64, base64Lines(crlf(text)))
        }
    }

    /// What decides the encoding of some text, measured once and added up over pieces
    /// (the digest cache keeps one per fixed piece of a part).
    package struct Size: Sendable {
        /// The length with every line break as CRLF.
        package var crlfBytes = 0
        /// Bytes quoted-printable writes as `=XX`.
        package var escaped = 0

        package init() {}

        /// The same on an array: what the digest's cache (another module) calls, where the
        /// generic version below would run unspecialized, a witness call per byte.
        package init(_ bytes: [UInt8]) { self.init(sequence: bytes) }

        init(sequence bytes: some Sequence<UInt8>) {
            var previous: UInt8 = 0
            for byte in bytes {
                if !(0x20...0x7E).contains(byte) && byte != 0x0D && byte != 0x0A || byte == 0x3D { escaped += 1 }
                if byte == 0x0A, previous != 0x0D { crlfBytes += 1 }
                crlfBytes += 1
                previous = byte
            }
        }

        package static func + (a: Size, b: Size) -> Size {
            var sum = a
            sum.crlfBytes += b.crlfBytes
            sum.escaped += b.escaped
            return sum
        }

        /// The shorter one; soft and hard line breaks add about the same share to both.
        package var encoding: BodyEncoding {
            crlfBytes + 2 * escaped <= (crlfBytes + 2) / 3 * 4 ? .quotedPrintable : .base64
        }
    }

    /// The text's bytes with every line break as CRLF, the canonical form MIME encodes.
    package static func crlf(_ text: String) -> [UInt8] {
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

    package static func base64Lines(_ bytes: [UInt8]) -> String {
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
