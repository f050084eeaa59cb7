/// Runs of whitespace (CR and LF included) made one space, ends trimmed: titles, tags
/// and summaries are single-line values in every feed and mail header.
enum Whitespace {
    static func collapsed(_ s: String) -> String {
        guard needsCollapsing(s) else { return s }
        return s.split(whereSeparator: \.isWhitespace).joined(separator: " ")
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
            } else if (0x09...0x0D).contains(v) || (v >= 0x80 && scalar.properties.isWhitespace) {
                return true
            } else {
                previousWasSpace = false
            }
        }
        return previousWasSpace && !s.isEmpty
    }
}
