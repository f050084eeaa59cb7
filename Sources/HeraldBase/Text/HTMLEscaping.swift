/// HTML text and attribute values made literal: `&` `<` `>` always, and the quote that
/// delimits an attribute. NUL, which no HTML parser keeps, is dropped. The one escaper of
/// HTML that Herald writes itself (the sanitizer's output, rewritten links); feed XML is
/// escaped by `XMLWriter` as libxml2 does, and Mustache escapes what templates show.
package enum HTMLEscaping {
    /// Element text.
    package static func text(_ text: String) -> String { escape(text, quote: nil) }

    /// An attribute value written between `quote` characters (`"` or `'`).
    package static func attribute(_ value: String, quote: Character = "\"") -> String { escape(value, quote: quote) }

    private static func escape(_ text: String, quote: Character?) -> String {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 || $0 == 0 }) else {
            return text
        }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where quote == "\"": out += "&quot;"
            case "'" where quote == "'": out += "&#39;"
            case "\u{0}": break
            default: out.append(character)
            }
        }
        return out
    }
}
