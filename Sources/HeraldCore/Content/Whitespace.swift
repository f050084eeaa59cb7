/// Runs of whitespace (CR and LF included) made one space, ends trimmed: titles, tags
/// and summaries are single-line values in every feed and mail header.
enum Whitespace {
    static func collapsed(_ s: String) -> String {
        guard needsCollapsing(s) else { return s }
        // What split(whereSeparator: \.isWhitespace).joined(separator: " ") gives, in one
        // pass over the characters, without a substring per word and the join.
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var pendingSpace = false
        for character in s {
            if character.isWhitespace {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" "); pendingSpace = false }
                out.append(character)
            }
        }
        return out
    }

    /// Leading and trailing whitespace removed. Not Foundation's trimmingCharacters(in:),
    /// which bridges through NSString and was 8% of a scan.
    static func trimmed(_ s: String) -> String {
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last,
              first.properties.isWhitespace || last.properties.isWhitespace else { return s }
        var sub = s.drop(while: \.isWhitespace)
        while sub.last?.isWhitespace == true { sub = sub.dropLast() }
        return String(sub)
    }

    /// Trailing spaces and tabs removed: wrapped lines and padded table rows end clean.
    static func trimmedEnd(_ s: String) -> String {
        var sub = Substring(s)
        while let last = sub.utf8.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { sub = sub.dropLast() }
        return sub.endIndex == s.endIndex ? s : String(sub)
    }

    /// One pass over the scalars; nearly every title is already clean, and the split
    /// above allocates a substring per word.
    private static func needsCollapsing(_ s: String) -> Bool {
        var previousWasSpace = true // a leading space needs trimming
        for scalar in s.unicodeScalars {
            let v = scalar.value
            if v == 0x20 {
                if previousWasSpace { return true }
                previousWasSpace = true
            } else if (0x09...0x0D).contains(v) || (v >= 0x80 && mightBeWhitespace(v) && scalar.properties.isWhitespace) {
                return true
            } else {
                previousWasSpace = false
            }
        }
        return previousWasSpace && !s.isEmpty
    }

    /// False for scalars above U+007F that are certainly not White_Space, without the
    /// Unicode property lookup, which was most of this check on Chinese titles (CJK text
    /// starts at U+3001). The property stays the final word for the few candidates;
    /// `WhitespaceTests` checks every scalar against it.
    static func mightBeWhitespace(_ v: UInt32) -> Bool {
        v == 0x85 || v == 0xA0 || v == 0x1680 || (0x2000...0x205F).contains(v) || v == 0x3000
    }
}
