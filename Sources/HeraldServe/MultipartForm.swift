import Foundation

/// The fields of a `multipart/form-data` body (RFC 7578 over RFC 2046): each part's
/// `Content-Disposition: form-data; name="…"` and its bytes. Strict: the closing delimiter
/// must be there, every part needs its headers and a name; anything else is refused
/// rather than guessed at. The body is already under `FormBody.maximumBytes`, so every
/// search here is over a few kilobytes.
struct MultipartForm {
    struct Malformed: Error {}

    /// Each name with its first value (a repeated field cannot override what was checked).
    static func fields(_ body: [UInt8], boundary: String) throws(Malformed) -> [String: String] {
        // A CRLF put in front lets the first delimiter match like every other one.
        let bytes: [UInt8] = [13, 10] + body
        let delimiter = Array("\r\n--\(boundary)".utf8)
        guard var at = find(delimiter, in: bytes, from: 0) else { throw Malformed() }
        var fields: [String: String] = [:]
        while true {
            var start = at + delimiter.count
            if bytes[start...].starts(with: [45, 45]) { break } // "--": the closing delimiter
            while start < bytes.count, bytes[start] == 32 || bytes[start] == 9 { start += 1 } // transport padding
            guard bytes[start...].starts(with: [13, 10]), let next = find(delimiter, in: bytes, from: start + 2) else {
                throw Malformed()
            }
            let (name, value) = try part(Array(bytes[(start + 2)..<next]))
            if fields[name] == nil { fields[name] = value }
            at = next
        }
        guard !fields.isEmpty else { throw Malformed() }
        return fields
    }

    private static func part(_ bytes: [UInt8]) throws(Malformed) -> (name: String, value: String) {
        guard let end = find([13, 10, 13, 10], in: [13, 10] + bytes, from: 0) else { throw Malformed() }
        let head = String(decoding: ([13, 10] + bytes)[..<end], as: UTF8.self)
        let value = String(decoding: bytes[min(bytes.count, end + 2)...], as: UTF8.self)
        for line in head.split(separator: "\r\n") {
            let pair = line.split(separator: ":", maxSplits: 1)
            guard pair.count == 2 else { throw Malformed() }
            guard pair[0].lowercased() == "content-disposition" else { continue }
            let parameters = pair[1].split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parameters.first?.lowercased() == "form-data" else { throw Malformed() }
            for parameter in parameters.dropFirst() where parameter.lowercased().hasPrefix("name=") {
                var name = String(parameter.dropFirst(5))
                if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") { name = String(name.dropFirst().dropLast()) }
                guard !name.isEmpty else { throw Malformed() }
                return (name, value)
            }
        }
        throw Malformed()
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var index = start
        while index + needle.count <= haystack.count {
            if haystack[index] == needle[0], haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
