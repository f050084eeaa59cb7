/// Runs of whitespace (CR and LF included) made one space, other control characters
/// dropped, ends trimmed: titles, tags and summaries are single-line values in every feed,
/// and a header value holding `\r\nBcc: x` stays inside the header it came in. The one
/// routine that makes text one line.
package enum Whitespace {
    package static func collapsed(_ s: String) -> String {
        guard needsCollapsing(s) else { return s }
        if let fast = collapsedByScalars(s) { return fast }
        // What split(whereSeparator: \.isWhitespace).joined(separator: " ") gives, in one
        // pass over the characters, without a substring per word and the join.
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var pendingSpace = false
        for character in s {
            if character.isWhitespace {
                pendingSpace = !out.isEmpty
            } else if isControl(character) {
                continue
            } else {
                if pendingSpace {
                    out.append(" ")
                    pendingSpace = false
                }
                out.append(character)
            }
        }
        return out
    }

    /// The same collapse over scalars, without grapheme breaking (costly on Chinese
    /// text; see BENCHMARKS.md, "Where the speed tricks came from"). The two differ only where a whitespace scalar shares a character
    /// with its neighbour (a space followed by a combining mark, a prepended mark followed
    /// by a space), so any neighbour outside `standsAlone` sends the string back (nil).
    private static func collapsedByScalars(_ s: String) -> String? {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        var previousWasSpace = false
        for scalar in s.unicodeScalars {
            let v = scalar.value
            if isControl(v) { continue }
            let isSpace = isWhitespace(scalar)
            if isSpace {
                if let last = out.last, !standsAlone(last.value) { return nil }
                pendingSpace = !out.isEmpty
            } else {
                if previousWasSpace, !standsAlone(v) { return nil }
                if pendingSpace {
                    out.append(" ")
                    pendingSpace = false
                }
                out.append(scalar)
            }
            previousWasSpace = isSpace
        }
        return String(out)
    }

    /// Scalars that never join a neighbouring space into one character: ASCII, and the
    /// CJK, kana, Hangul and fullwidth blocks minus their combining marks (U+302A–302F,
    /// U+3099–309A, U+FF9E–FF9F). `WhitespaceTests` checks every one of them.
    static func standsAlone(_ v: UInt32) -> Bool {
        v < 0x300 || (0x3001...0x3029).contains(v) || (0x3030...0x3098).contains(v)
            || (0x309B...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v) || (0xFF01...0xFF9D).contains(v)
    }

    /// Leading and trailing whitespace removed. Not Foundation's trimmingCharacters(in:),
    /// which bridges through NSString on every call.
    package static func trimmed(_ s: String) -> String {
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last,
            first.properties.isWhitespace || last.properties.isWhitespace
        else { return s }
        var sub = s.drop(while: \.isWhitespace)
        while sub.last?.isWhitespace == true { sub = sub.dropLast() }
        return String(sub)
    }

    /// Trailing spaces and tabs removed: wrapped lines and padded table rows end clean.
    package static func trimmedEnd(_ s: String) -> String {
        var sub = Substring(s)
        while let last = sub.utf8.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { sub = sub.dropLast() }
        return sub.endIndex == s.endIndex ? s : String(sub)
    }

    /// One pass over the scalars; nearly every title is already clean, and the split
    /// above allocates a substring per word.
    private static func needsCollapsing(_ s: String) -> Bool {
        var previousWasSpace = true // a leading space needs trimming
        var afterSpace = false
        for scalar in s.unicodeScalars {
            let v = scalar.value
            if v == 0x20 {
                if previousWasSpace { return true }
                previousWasSpace = true
                afterSpace = true
            } else if isWhitespace(scalar) || isControl(v) {
                return true
            } else {
                // A mark joining the space before it makes a character that may be
                // whitespace: the character loop decides.
                if afterSpace, !standsAlone(v) { return true }
                previousWasSpace = false
                afterSpace = false
            }
        }
        return previousWasSpace && !s.isEmpty
    }

    /// White_Space, with the property looked up only for the few candidates above ASCII.
    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v == 0x20 || (0x09...0x0D).contains(v) || (v >= 0x80 && mightBeWhitespace(v) && scalar.properties.isWhitespace)
    }

    /// C0, DEL and C1 controls that are not whitespace: dropped, never shown.
    private static func isControl(_ v: UInt32) -> Bool {
        (v < 0x20 && !(0x09...0x0D).contains(v)) || (0x7F...0x9F).contains(v) && v != 0x85
    }

    private static func isControl(_ character: Character) -> Bool {
        character.unicodeScalars.count == 1 && isControl(character.unicodeScalars.first!.value)
    }

    /// False for scalars above U+007F that are certainly not White_Space, without the
    /// Unicode property lookup, which is slow and would be asked of every Chinese
    /// character (CJK text starts at U+3001). The property stays the final word for the few candidates;
    /// `WhitespaceTests` checks every scalar against it.
    static func mightBeWhitespace(_ v: UInt32) -> Bool {
        v == 0x85 || v == 0xA0 || v == 0x1680 || (0x2000...0x205F).contains(v) || v == 0x3000
    }
}
