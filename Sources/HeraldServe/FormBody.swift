import Foundation
import Hummingbird
import NIOCore

/// A form body, read with a size cap: `application/x-www-form-urlencoded` (herald's own
/// pages, and what most mailbox providers post) or `multipart/form-data` (what RFC 8058
/// says a one-click unsubscribe POST should be). Anything else is read as urlencoded.
struct FormBody: Sendable {
    /// The largest form herald's pages post (an address, a name, two tokens) is far below this.
    static let maximumBytes = 8 * 1024

    let fields: [String: String]
    /// No bytes at all: some providers post one-click unsubscribes with an empty body.
    let isEmpty: Bool

    /// A body that says it is multipart but cannot be read as such.
    struct Malformed: Error, Equatable {
        let reason: String
    }

    static func read(_ request: inout Request) async throws -> FormBody {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maximumBytes {
            throw HTTPError(.contentTooLarge)
        }
        let buffer = try await request.collectBody(upTo: maximumBytes)
        return try parse(buffer, contentType: request.headers[.contentType])
    }

    static func parse(_ buffer: ByteBuffer, contentType: String?) throws(Malformed) -> FormBody {
        let fields: [String: String]
        if let type = contentType, Self.mediaType(type) == "multipart/form-data" {
            fields = try multipart(buffer, boundary: try boundary(in: type))
        } else {
            fields = urlencoded(String(buffer: buffer))
        }
        return FormBody(fields: fields, isEmpty: buffer.readableBytes == 0)
    }

    /// RFC 8058: the field a mailbox provider posts for one-click unsubscribe, in either
    /// encoding, or a body with nothing in it.
    var isOneClick: Bool { isEmpty || fields["List-Unsubscribe"]?.trimmingCharacters(in: .whitespacesAndNewlines) == "One-Click" }

    private static func urlencoded(_ raw: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in raw.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]) else { continue }
            // The first value wins: a repeated field cannot override what was checked.
            if fields[name] == nil { fields[name] = parts.count > 1 ? decode(parts[1]) ?? "" : "" }
        }
        return fields
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    private static func multipart(_ buffer: ByteBuffer, boundary: String) throws(Malformed) -> [String: String] {
        do { return try MultipartForm.fields(Array(buffer.readableBytesView), boundary: boundary) } catch {
            throw Malformed(reason: "the multipart body is not well formed")
        }
    }

    /// `type/subtype` of a Content-Type, lower-cased.
    private static func mediaType(_ contentType: String) -> String {
        String(contentType.prefix { $0 != ";" }).trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// The `boundary` parameter (RFC 2046 §5.1.1: 1–70 characters of a small set, quoted or not).
    private static func boundary(in contentType: String) throws(Malformed) -> String {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'()+_,-./:=? ")
            guard (1...70).contains(value.count), value.allSatisfy(allowed.contains), value.last != " " else {
                throw Malformed(reason: "the multipart boundary is not valid")
            }
            return value
        }
        throw Malformed(reason: "a multipart body without a boundary")
    }
}
