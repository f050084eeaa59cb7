/// Final pass over the rendered text part: template glue (titles, footers,
/// long summaries) never exceeds `maxColumns` display columns (East Asian
/// wide characters count two), whatever a template writes.
/// Lines the loader wrapped are already short and stay as they are; an
/// over-long line is re-wrapped at 72 keeping its indentation. A single word
/// wider than that (a long URL) cannot be broken and stays whole.
enum PlainTextLayout {
    static let maxColumns = 78
    static let wrapColumns = 72

    static func finish(_ text: String) -> String {
        var out: [String] = []
        for raw in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String(raw)
            while line.last == " " || line.last == "\t" { line.removeLast() }
            // Sections in templates leave runs of blank lines; one is enough.
            if line.isEmpty, out.last?.isEmpty ?? true { continue }
            guard DisplayWidth.of(line) > maxColumns else { out.append(line); continue }
            let indent = String(line.prefix { $0 == " " })
            out += TextWrapper(width: max(wrapColumns - indent.count, 24)).wrap(String(line.dropFirst(indent.count))).map { indent + $0 }
        }
        while out.last?.isEmpty == true { out.removeLast() }
        return out.joined(separator: "\n") + "\n"
    }
}
