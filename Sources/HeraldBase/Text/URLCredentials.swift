import Foundation

/// A URL's user-info (`user:password@`) is a secret wherever it appears: every message
/// Herald prints that may hold a URL goes through `redacted`, so a password typed into a
/// URL never reaches a terminal, a journal or the alert mail built from them.
package enum URLCredentials {
    package static let mask = "***"

    /// `text` with the user-info of every `scheme://user:password@host` in it replaced by
    /// `***`: `smtp://***@mail.example.org:587`. Text without `://` comes back as it was.
    package static func redacted(_ text: String) -> String {
        guard text.contains("://") else { return text }
        var out = ""
        var rest = Substring(text)
        while let separator = rest.range(of: "://") {
            out += rest[..<separator.upperBound]
            rest = rest[separator.upperBound...]
            // The authority ends at the path, query, fragment, a space, a quote or an angle bracket.
            let end = rest.firstIndex(where: { "/?#<>\"' \t\r\n".contains($0) }) ?? rest.endIndex
            if let at = rest[..<end].lastIndex(of: "@") {
                out += mask
                rest = rest[at...]
            }
        }
        return out + rest
    }

    /// Whether `text`, a URL, names a user or a password.
    package static func hasUserInfo(_ text: String) -> Bool { redacted(text) != text }
}
