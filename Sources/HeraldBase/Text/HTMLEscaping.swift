/// HTML text and attribute values made literal: `&` `<` `>` always, and the quote that
/// delimits an attribute. NUL, which no HTML parser keeps, is dropped. The one escaper of
/// HTML that Herald writes itself (the sanitizer's output, rewritten links, a feed's
/// HTML titles and summaries, feed.xsl's labels); feed XML is escaped by `XMLWriter` as
/// libxml2 does, and Mustache escapes what templates show.
package enum HTMLEscaping {
    /// Element text.
    package static func text(_ text: String) -> String { escape(text, quote: nil) }

    /// An attribute value written between `quote` characters (`"` or `'`).
    package static func attribute(_ value: String, quote: Character = "\"") -> String {
        escape(value, quote: quote == "'" ? apostrophe : quotationMark)
    }

    private static let ampersand = UInt8(ascii: "&"), less = UInt8(ascii: "<"), greater = UInt8(ascii: ">")
    private static let quotationMark = UInt8(ascii: "\""), apostrophe = UInt8(ascii: "'")

    /// Works on UTF-8 bytes: every byte it replaces is ASCII, and no ASCII byte occurs inside
    /// a multi-byte character, so the result is valid UTF-8 and each character (a `<`
    /// followed by a combining mark too) is escaped as its scalars are.
    private static func escape(_ text: String, quote: UInt8?) -> String {
        func isSpecial(_ byte: UInt8) -> Bool {
            byte == ampersand || byte == less || byte == greater || byte == 0 || byte == quote
        }
        // Nearly all text has nothing to escape and comes back as it is, without a copy.
        guard text.utf8.contains(where: isSpecial) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            switch byte {
            case ampersand: out.append(contentsOf: "&amp;".utf8)
            case less: out.append(contentsOf: "&lt;".utf8)
            case greater: out.append(contentsOf: "&gt;".utf8)
            case 0: break
            default:
                if byte != quote {
                    out.append(byte)
                } else {
                    out.append(contentsOf: byte == quotationMark ? "&quot;".utf8 : "&#39;".utf8)
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
