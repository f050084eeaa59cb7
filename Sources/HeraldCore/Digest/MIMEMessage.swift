import Crypto
import Foundation

/// An RFC 5322 message with a `multipart/alternative` body (RFC 2045/2046):
/// header fields in the order they were added, CRLF line ends, every line
/// under 998 octets, UTF-8 text parts in quoted-printable or base64.
struct MIMEMessage {
    struct TextPart {
        /// `plain` or `html`.
        let subtype: String
        let text: String
    }

    /// Complete header fields, already folded (`Name: value`, folds as CRLF + space).
    private(set) var fields: [String] = []

    /// Adds an unstructured field (`Subject`): encoded and folded here.
    mutating func addText(_ name: String, _ value: String) {
        fields.append(HeaderEncoding.unstructured(name, value))
    }

    /// Adds a structured field from tokens that are already header-safe
    /// (validated addresses, encoded phrases, `<url>` items).
    mutating func addTokens(_ name: String, _ tokens: [String]) {
        fields.append(HeaderEncoding.fold(name, tokens.map(HeaderEncoding.singleLine)))
    }

    /// The message bytes. `seed` makes the boundary deterministic (digest number
    /// and recipient); it is re-derived until it occurs in no encoded part.
    func bytes(alternatives parts: [TextPart], seed: String) -> [UInt8] {
        let encoded = parts.map { part in (part.subtype, BodyEncoding.encode(part.text)) }
        var boundary = ""
        for attempt in 0... {
            boundary = Self.boundary(seed: seed, attempt: attempt)
            if !encoded.contains(where: { $0.1.body.contains(boundary) }) { break }
        }
        var out: [UInt8] = []
        out.reserveCapacity(encoded.reduce(4096) { $0 + $1.1.body.utf8.count })
        func write(_ text: String) { out.append(contentsOf: text.utf8) }
        write(fields.joined(separator: "\r\n") + "\r\n")
        write("Content-Type: multipart/alternative;\r\n boundary=\"\(boundary)\"\r\n")
        write("\r\nThis is a multi-part message in MIME format.\r\n")
        for (subtype, body) in encoded {
            write("\r\n--\(boundary)\r\n")
            write("Content-Type: text/\(subtype); charset=utf-8\r\n")
            write("Content-Transfer-Encoding: \(body.encoding.rawValue)\r\n\r\n")
            write(body.body)
            write("\r\n")
        }
        write("\r\n--\(boundary)--\r\n")
        return out
    }

    /// `=_` cannot occur in quoted-printable or base64 output, so a boundary
    /// starting with it is safe by construction; the caller still checks.
    static func boundary(seed: String, attempt: Int) -> String {
        let digest = SHA256.hash(data: Data("herald-boundary\0\(seed)\0\(attempt)".utf8))
        return "=_herald_" + digest.prefix(12).map { String(format: "%02x", $0) }.joined()
    }
}
