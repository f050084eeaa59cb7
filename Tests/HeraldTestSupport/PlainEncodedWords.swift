import Foundation

/// RFC 2047 `=?UTF-8?B?…?=` words decoded the way a reader does, written independently of Herald's encoder.
public enum PlainEncodedWords {
    /// nil when a word is not whole UTF-8.
    public static func decode(_ words: [String]) -> String? {
        var out = ""
        for word in words {
            guard word.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?="),
                let data = Data(base64Encoded: String(word.dropFirst(10).dropLast(2))),
                let text = String(data: data, encoding: .utf8)
            else { return nil }
            out += text
        }
        return out
    }
}
