import HeraldBase

/// A name or title for a feed element that has no way to say "this holds markup": RSS
/// titles and categories, `dc:creator`, Atom person names and category labels. Herald
/// reads a title such as `Ends ]]> here & <b>bold</b>` as text, yet readers show these
/// elements as text or as HTML as they please, and the W3C validator warns on any that
/// holds a tag; so what looks like a tag (`<` then a letter, `/`, `!` or `?`, up to the
/// next `>`) is left out, and the words stay: `Ends ]]> here & bold`. A lone `<` or `&`
/// stays too (`1 < 2`, `R&D`), escaped as any text is. Atom titles say the whole text
/// (`type="html"`), and JSON Feed's fields are plain text by definition: neither is cut.
enum TagFreeText {
    /// `text` without its tags, one line; `text` itself, one line, if nothing but tags.
    static func of(_ text: String) -> String {
        let line = Whitespace.collapsed(text)
        guard line.contains(ascii: "<") else { return line }
        var out = ""
        out.reserveCapacity(line.utf8.count)
        var rest = line[...]
        while let open = rest.firstIndex(of: "<") {
            let after = rest.index(after: open)
            guard after < rest.endIndex, Self.opensTag(rest[after]),
                let close = rest[after...].firstIndex(of: ">")
            else {
                out += rest[...open]
                rest = rest[after...]
                continue
            }
            // Nothing in its place: the tags a title holds are inline (`un<b>real</b>`).
            out += rest[..<open]
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        let words = Whitespace.collapsed(out)
        return words.isEmpty ? line : words
    }

    private static func opensTag(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c == "/" || c == "!" || c == "?")
    }
}
