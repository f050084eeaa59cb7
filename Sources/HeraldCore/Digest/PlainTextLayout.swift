/// Final pass over the rendered text part: template glue (titles, footers,
/// long summaries) never exceeds `maxColumns` display columns (East Asian
/// wide characters count two), whatever a template writes. An over-long glue
/// line is re-wrapped at 72 keeping its indentation; a single word wider than
/// that (a long URL) cannot be broken and stays whole.
///
/// The loader's `post.text` is already laid out (wrapped paragraphs, aligned
/// tables, code) and must come through untouched: templates see it as a
/// placeholder, swapped back in after the glue is done.
enum PlainTextLayout {
    static let maxColumns = 78
    static let wrapColumns = 72

    /// What `{{text}}` renders as: private-use delimiters around the post's index.
    static func placeholder(_ index: Int) -> String { "\u{E000}\(index)\u{E001}" }

    static func finish(_ text: String, verbatim: [String] = []) -> String {
        var out: [String] = []
        for raw in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String(raw)
            if line.contains("\u{E000}") {
                out += substitute(line, verbatim).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                continue
            }
            while line.last == " " || line.last == "\t" { line.removeLast() }
            // Sections in templates leave runs of blank lines; one is enough.
            if line.isEmpty, out.last?.isEmpty ?? true { continue }
            guard DisplayWidth.of(line) > maxColumns else { out.append(line); continue }
            let indent = String(line.prefix { $0 == " " })
            out += TextWrapper(width: max(wrapColumns - indent.count, 24)).wrap(String(line.dropFirst(indent.count)))
                .map { indent + $0 }
        }
        while out.last?.isEmpty == true { out.removeLast() }
        return out.joined(separator: "\n") + "\n"
    }

    private static func substitute(_ line: String, _ verbatim: [String]) -> String {
        var result = line
        for (index, text) in verbatim.enumerated() {
            result = result.replacingOccurrences(of: placeholder(index), with: text)
        }
        return result
    }
}
