import Foundation

/// Just enough RFC 5322/2045 reading to check the composer's output from the
/// outside: header fields (unfolded) and the decoded text parts.
public struct MessageParts {
    public let raw: String
    /// Field names and unfolded values, in order.
    public let fields: [(name: String, value: String)]
    public let boundary: String
    /// (content type, decoded text) in order.
    public let parts: [(type: String, text: String)]

    public init(_ bytes: [UInt8]) {
        raw = String(decoding: bytes, as: UTF8.self)
        let split = raw.range(of: "\r\n\r\n")!
        let head = raw[..<split.lowerBound].replacingOccurrences(of: "\r\n ", with: " ")
        fields = head.components(separatedBy: "\r\n").map { line in
            let colon = line.firstIndex(of: ":")!
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let contentType = fields.first { $0.name == "Content-Type" }!.value
        boundary = String(contentType.split(separator: "\"")[1])
        var parts: [(String, String)] = []
        for chunk in raw.components(separatedBy: "--" + boundary).dropFirst() where !chunk.hasPrefix("--") {
            let pieces = chunk.components(separatedBy: "\r\n\r\n")
            let headers = pieces[0]
            let body = pieces.dropFirst().joined(separator: "\r\n\r\n").trimmingCharacters(in: .whitespacesAndNewlines)
            let type = headers.contains("text/html") ? "text/html" : "text/plain"
            let text: String
            if headers.contains("base64") {
                text = String(decoding: Data(base64Encoded: body.replacingOccurrences(of: "\r\n", with: ""))!, as: UTF8.self)
            } else {
                text = PlainQuotedPrintable.decode(body) ?? ""
            }
            parts.append((type, text))
        }
        self.parts = parts
    }

    public func value(_ name: String) -> String? { fields.first { $0.name.lowercased() == name.lowercased() }?.value }
}
