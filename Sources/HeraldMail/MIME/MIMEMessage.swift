import Crypto
import Foundation
import HeraldBase

/// An RFC 5322 message with a `multipart/alternative` body (RFC 2045/2046), or one text part:
/// header fields in the order they were added, CRLF line ends, every line
/// under 998 octets, UTF-8 text parts in quoted-printable or base64.
package struct MIMEMessage {
    package struct TextPart {
        /// `plain` or `html`.
        package let subtype: String
        package let text: String

        package init(subtype: String, text: String) {
            self.subtype = subtype
            self.text = text
        }
    }

    /// Complete header fields, already folded (`Name: value`, folds as CRLF + space).
    package private(set) var fields: [String] = []

    package init() {}

    /// Adds an unstructured field (`Subject`): encoded and folded here.
    package mutating func addText(_ name: String, _ value: String) {
        fields.append(HeaderEncoding.unstructured(name, value))
    }

    /// Adds a structured field from tokens that are already header-safe
    /// (validated addresses, encoded phrases, `<url>` items).
    package mutating func addTokens(_ name: String, _ tokens: [String]) {
        fields.append(HeaderEncoding.fold(name, tokens.map(Whitespace.collapsed)))
    }

    /// The message bytes. `seed` makes the boundary deterministic (digest number
    /// and recipient); it is re-derived until it occurs in no encoded part.
    package func bytes(alternatives parts: [TextPart], seed: String) -> [UInt8] {
        let encoded = parts.map { part in
            let body = BodyEncoding.encode(part.text)
            return EncodedPart(subtype: part.subtype, encoding: body.encoding, body: Array(body.body.utf8))
        }
        return Self.assemble(header: fields.joined(separator: "\r\n"), parts: encoded, seed: seed)
    }

    /// The message bytes with one UTF-8 `text/plain` body and no multipart around it:
    /// a message that has no HTML version is not an alternative of one part.
    package func bytes(plain text: String) -> [UInt8] {
        let body = BodyEncoding.encode(text)
        var out: [UInt8] = []
        out.reserveCapacity(body.body.utf8.count + 1024)
        func write(_ text: String) { out.append(contentsOf: text.utf8) }
        write(fields.joined(separator: "\r\n"))
        write("\r\nContent-Type: text/plain; charset=utf-8\r\n")
        write("Content-Transfer-Encoding: \(body.encoding.rawValue)\r\n\r\n")
        write(body.body)
        write("\r\n")
        return out
    }

    package struct EncodedPart {
        package let subtype: String
        package let encoding: BodyEncoding
        package let body: [UInt8]

        package init(subtype: String, encoding: BodyEncoding, body: [UInt8]) {
            self.subtype = subtype
            self.encoding = encoding
            self.body = body
        }
    }

    /// The complete message from header fields (folded, joined by CRLF, no final
    /// CRLF) and encoded parts; the boundary as `bytes(alternatives:seed:)` chooses it.
    package static func assemble(header: String, parts encoded: [EncodedPart], seed: String) -> [UInt8] {
        var boundary = ""
        for attempt in 0... {
            boundary = Self.boundary(seed: seed, attempt: attempt)
            let needle = Array(boundary.utf8)
            if !encoded.contains(where: { contains($0.body, needle) }) { break }
        }
        var out: [UInt8] = []
        out.reserveCapacity(encoded.reduce(header.utf8.count + 512) { $0 + $1.body.count })
        func write(_ text: String) { out.append(contentsOf: text.utf8) }
        write(header)
        write("\r\n")
        write("Content-Type: multipart/alternative;\r\n boundary=\"\(boundary)\"\r\n")
        write("\r\nThis is a multi-part message in MIME format.\r\n")
        for part in encoded {
            write("\r\n--\(boundary)\r\n")
            write("Content-Type: text/\(part.subtype); charset=utf-8\r\n")
            write("Content-Transfer-Encoding: \(part.encoding.rawValue)\r\n\r\n")
            out.append(contentsOf: part.body)
            write("\r\n")
        }
        write("\r\n--\(boundary)--\r\n")
        return out
    }

    /// Whether `needle` (non-empty) occurs in `haystack`.
    package static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count else { return false }
        // memchr for the first byte, memcmp for the rest, not a byte loop in Swift: this runs
        // over both parts of every message (BENCHMARKS.md, "The per-message CPU cuts").
        return haystack.withUnsafeBytes { hay in
            needle.withUnsafeBytes { pin in
                guard let base = hay.baseAddress, let pinBase = pin.baseAddress else { return false }
                var offset = 0
                let last = hay.count - pin.count
                while offset <= last {
                    guard let hit = memchr(base + offset, Int32(first), last - offset + 1) else { return false }
                    let at = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + at, pinBase, pin.count) == 0 { return true }
                    offset = at + 1
                }
                return false
            }
        }
    }

    /// `=_` cannot occur in quoted-printable or base64 output, so a boundary
    /// starting with it is safe by construction; the caller still checks.
    package static func boundary(seed: String, attempt: Int) -> String {
        let digest = SHA256.hash(data: Data("herald-boundary\0\(seed)\0\(attempt)".utf8))
        return "=_herald_" + Hex.lowercase(digest.prefix(12))
    }
}
