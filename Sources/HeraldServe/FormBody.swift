import Foundation
import Hummingbird

/// An `application/x-www-form-urlencoded` body, read with a size cap.
struct FormBody: Sendable {
    /// The largest form herald's pages post (an address, a name, two tokens) is far below this.
    static let maximumBytes = 8 * 1024

    let fields: [String: String]
    let raw: String

    static func read(_ request: inout Request) async throws -> FormBody {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maximumBytes {
            throw HTTPError(.contentTooLarge)
        }
        let buffer = try await request.collectBody(upTo: maximumBytes)
        let raw = String(buffer: buffer)
        var fields: [String: String] = [:]
        for pair in raw.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]) else { continue }
            // The first value wins: a repeated field cannot override what was checked.
            if fields[name] == nil { fields[name] = parts.count > 1 ? decode(parts[1]) ?? "" : "" }
        }
        return FormBody(fields: fields, raw: raw)
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// RFC 8058: the body a mailbox provider posts for one-click unsubscribe.
    var isOneClick: Bool { raw.trimmingCharacters(in: .whitespacesAndNewlines) == "List-Unsubscribe=One-Click" }
}
