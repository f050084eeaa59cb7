import Foundation
import HeraldBase

/// Header values as RFC 5322 and RFC 2047 want them: one logical line (content
/// can never add a header), non-ASCII as encoded words of at most 75 characters
/// that never split a UTF-8 sequence, folded to 78 columns where possible.
package enum HeaderEncoding {
    /// Preferred line length (RFC 5322 §2.1.1); the hard limit is 998 octets.
    package static let foldColumn = 78
    /// RFC 2047 §2: an encoded word is at most 75 characters.
    package static let maxEncodedWord = 75

    /// A complete unstructured field such as `Subject`, folded, without the final CRLF.
    package static func unstructured(_ name: String, _ value: String) -> String {
        let text = Whitespace.collapsed(value)
        let words = text.split(separator: " ").map(String.init)
        let plain = words.allSatisfy { word in
            word.utf8.count <= maxEncodedWord && word.utf8.allSatisfy { $0 >= 0x21 && $0 <= 0x7E }
        }
        // A plain word that looks like an encoded word would be decoded by readers: encode it too.
        if plain, !text.contains("=?") {
            return fold(name, words)
        }
        return fold(name, encodedWords(text, firstLimit: foldColumn - name.count - 2))
    }

    /// A field whose value is a list of tokens already safe for headers
    /// (mailboxes, `<url>` items); folded between tokens.
    package static func fold(_ name: String, _ tokens: [String]) -> String {
        var out = name + ":"
        var column = out.count
        for token in tokens where !token.isEmpty {
            let width = token.utf8.count
            if column + 1 + width > foldColumn, column > name.count + 1 {
                out += "\r\n"
                column = 0
            }
            out += " " + token
            column += 1 + width
        }
        return out
    }

    /// `text` as RFC 2047 B-encoded words (UTF-8). Every word decodes to whole
    /// characters: a grapheme is split into scalars only if it alone is too long.
    package static func encodedWords(_ text: String, firstLimit: Int = maxEncodedWord) -> [String] {
        let overhead = "=?UTF-8?B??=".count
        func capacity(_ limit: Int) -> Int { max(3, (min(limit, maxEncodedWord) - overhead) / 4 * 3) }
        var words: [String] = []
        var chunk: [UInt8] = []
        var limit = capacity(firstLimit)
        func flush() {
            guard !chunk.isEmpty else { return }
            words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
            chunk = []
            limit = capacity(maxEncodedWord)
        }
        func append(_ bytes: [UInt8]) {
            if chunk.count + bytes.count > limit { flush() }
            chunk += bytes
        }
        for character in text {
            let bytes = Array(String(character).utf8)
            if bytes.count <= capacity(maxEncodedWord) {
                append(bytes)
            } else {
                for scalar in character.unicodeScalars { append(Array(String(scalar).utf8)) }
            }
        }
        flush()
        return words
    }

    /// A display name as a phrase (RFC 5322 §3.2.5): atoms as they are, other
    /// ASCII as a quoted string, non-ASCII as encoded words.
    package static func phrase(_ name: String) -> [String] {
        let text = Whitespace.collapsed(name)
        guard !text.isEmpty else { return [] }
        // Encoded words also split what folding cannot: one word too long for a line.
        if !text.unicodeScalars.allSatisfy(\.isASCII) || text.contains("=?")
            || text.split(separator: " ").contains(where: { $0.utf8.count > maxEncodedWord })
        {
            return encodedWords(text)
        }
        // The text is ASCII here: atoms and spaces are a byte test, not a CharacterSet
        // built per call, that is per message (BENCHMARKS.md, "The per-message CPU cuts").
        if text.utf8.allSatisfy(isAtomOrSpace) {
            return text.split(separator: " ").map(String.init)
        }
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return ["\"" + escaped + "\""]
    }

    /// RFC 5322 atext (letters, digits, ``!#$%&'*+-/=?^_`{|}~``) or a space.
    package static func isAtomOrSpace(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return Self.atomSpecials.contains(byte)
        }
    }

    private static let atomSpecials = Set("!#$%&'*+-/=?^_`{|}~ ".utf8)

    /// `Name <address>` tokens (or just the address); the address must have been validated.
    package static func mailbox(name: String?, address: String) -> [String] {
        let words = phrase(name ?? "")
        return words.isEmpty ? [address] : words + ["<" + address + ">"]
    }
}
