/// Whether a post's summary says no more than its title, so a reader who has just read
/// the title would read it again. Weeklies often copy the title into `description`, with
/// the case or the width of a mark changed on the way (`SOFA WEEKLY｜…` for
/// `SOFA Weekly | …`).
package enum TitleEcho {
    /// True when the summary, folded, is empty or the folded title contains it.
    package static func summary(_ summary: String, repeats title: String) -> Bool {
        let folded = fold(summary)
        return folded.isEmpty || fold(title).contains(folded)
    }

    /// Case folded, full-width forms (U+FF01…U+FF5E) as their ASCII twins, and no white
    /// space at all: a full-width mark carries its own spacing, so `A｜B` and `A | B` must
    /// fold alike.
    static func fold(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where !scalar.properties.isWhitespace {
            if (0xFF01...0xFF5E).contains(scalar.value), let ascii = Unicode.Scalar(scalar.value - 0xFEE0) {
                out.append(ascii)
            } else {
                out.append(scalar)
            }
        }
        return String(out).lowercased()
    }
}
