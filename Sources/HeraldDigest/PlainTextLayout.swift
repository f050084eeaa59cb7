import Foundation
import HeraldBase

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
        for raw in lines(of: text) { append(raw, verbatim: verbatim, to: &out) }
        while out.last?.isEmpty == true { out.removeLast() }
        return out.joined(separator: "\n") + "\n"
    }

    /// The template output's lines, CRLF or LF.
    static func lines(of text: String) -> [Substring] {
        text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// Lays out one line of template output onto `out`: what `finish` does per
    /// line (and the digest composer for the few lines that name the subscriber).
    static func append(_ raw: Substring, verbatim: [String], to out: inout [String]) {
        var line = String(raw)
        // U+E000 is EE 80 80 in UTF-8: a byte scan first, the String search only when it may be there.
        if line.utf8.contains(0xEE), line.contains("\u{E000}") {
            out += substitute(line, verbatim).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            return
        }
        while line.last == " " || line.last == "\t" { line.removeLast() }
        // Sections in templates leave runs of blank lines; one is enough.
        if line.isEmpty, out.last?.isEmpty ?? true { return }
        guard DisplayWidth.of(line) > maxColumns else {
            out.append(line)
            return
        }
        let indent = String(line.prefix { $0 == " " })
        out += TextWrapper(width: max(wrapColumns - indent.count, 24)).wrap(String(line.dropFirst(indent.count)))
            .map { indent + $0 }
    }

    private static func substitute(_ line: String, _ verbatim: [String]) -> String {
        var result = line
        for (index, text) in verbatim.enumerated() {
            result = result.replacingOccurrences(of: placeholder(index), with: text)
        }
        return result
    }
}
