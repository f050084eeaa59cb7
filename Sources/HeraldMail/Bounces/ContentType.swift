import Foundation

/// A Content-Type field (RFC 2045 §5.1): `type/subtype; name=value; name="quoted value"`,
/// type, subtype and parameter names lower-cased.
struct ContentType: Sendable, Equatable {
    let type: String
    let subtype: String
    let parameters: [String: String]

    var mediaType: String { "\(type)/\(subtype)" }

    /// RFC 2045's default for a part without the field.
    static let plainText = ContentType(type: "text", subtype: "plain", parameters: [:])

    init(type: String, subtype: String, parameters: [String: String]) {
        self.type = type
        self.subtype = subtype
        self.parameters = parameters
    }

    init?(_ field: String) {
        var pieces = Self.split(field)
        guard !pieces.isEmpty else { return nil }
        let media = pieces.removeFirst().split(separator: "/", maxSplits: 1)
        guard media.count == 2 else { return nil }
        type = media[0].trimmingCharacters(in: .whitespaces).lowercased()
        subtype = media[1].trimmingCharacters(in: .whitespaces).lowercased()
        var parameters: [String: String] = [:]
        for piece in pieces {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            let name = piece[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var value = piece[piece.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
            }
            parameters[name] = value
        }
        self.parameters = parameters
    }

    /// Splits at semicolons outside quoted strings.
    private static func split(_ field: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for character in field {
            if escaped {
                escaped = false
                current.append(character)
                continue
            }
            switch character {
            case "\\" where quoted:
                escaped = true
                current.append(character)
            case "\"":
                quoted.toggle()
                current.append(character)
            case ";" where !quoted:
                pieces.append(current)
                current = ""
            default: current.append(character)
            }
        }
        pieces.append(current)
        return pieces.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
