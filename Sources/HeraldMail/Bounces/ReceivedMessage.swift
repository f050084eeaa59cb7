import Foundation

/// A message (or a MIME part of one) read as far as bounce and abuse reports need it:
/// the header fields, the Content-Type, the body decoded from base64 or quoted-printable,
/// and the parts of a multipart body (RFC 2045, RFC 2046). Line ends are read as LF
/// whether they arrived as CRLF (SMTP, Maildir from some agents) or LF (Postfix's pipe).
///
/// Written here because the machine's Swift package set has no MIME reader:
/// vapor/multipart-kit reads form uploads (no folded fields, no nested messages).
struct ReceivedMessage: Sendable {
    let header: HeaderFields
    /// The body as it arrived (still transfer-encoded), LF line ends.
    let rawBody: Substring

    init(_ bytes: [UInt8]) {
        self.init(text: Substring(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")))
    }

    init(text: Substring) {
        // A message/rfc822 part may start with a blank line; a header never does.
        let text = text.drop { $0 == "\n" }
        header = HeaderFields(lines: text.split(separator: "\n", omittingEmptySubsequences: false))
        rawBody = text.range(of: "\n\n").map { text[$0.upperBound...] } ?? ""
    }

    var contentType: ContentType { header["Content-Type"].flatMap(ContentType.init) ?? .plainText }

    /// The body without its transfer encoding (8bit, 7bit and binary are left as they are).
    var body: String {
        switch header["Content-Transfer-Encoding"]?.lowercased() {
        case "base64":
            let data = Data(base64Encoded: rawBody.filter { !$0.isWhitespace }, options: .ignoreUnknownCharacters) ?? Data()
            return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        case "quoted-printable":
            return QuotedPrintable.decode(rawBody)
        default:
            return String(rawBody)
        }
    }

    /// The parts of a multipart body, in order; empty for any other type.
    var parts: [ReceivedMessage] {
        let type = contentType
        guard type.type == "multipart", let boundary = type.parameters["boundary"], !boundary.isEmpty else { return [] }
        let delimiter = "--" + boundary
        var parts: [ReceivedMessage] = []
        var start: Substring.Index? = nil
        var lineStart = rawBody.startIndex
        while lineStart < rawBody.endIndex {
            let lineEnd = rawBody[lineStart...].firstIndex(of: "\n") ?? rawBody.endIndex
            let line = rawBody[lineStart..<lineEnd]
            if line.hasPrefix(delimiter) {
                let rest = line.dropFirst(delimiter.count).trimmingCharacters(in: .whitespaces)
                if rest.isEmpty || rest == "--" {
                    if let start {
                        // The line break before a delimiter belongs to the delimiter (RFC 2046 §5.1.1).
                        let end = lineStart > start ? rawBody.index(before: lineStart) : start
                        parts.append(ReceivedMessage(text: rawBody[start..<end]))
                    }
                    if rest == "--" { return parts }
                    start = lineEnd < rawBody.endIndex ? rawBody.index(after: lineEnd) : lineEnd
                }
            }
            lineStart = lineEnd < rawBody.endIndex ? rawBody.index(after: lineEnd) : lineEnd
        }
        // No closing delimiter (a truncated report): keep what came.
        if let start { parts.append(ReceivedMessage(text: rawBody[start...])) }
        return parts
    }

    /// The message a `message/rfc822` or `text/rfc822-headers` part returns, decoded.
    var enclosed: ReceivedMessage { ReceivedMessage(text: Substring(body)) }
}
