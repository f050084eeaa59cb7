/// Greedy line wrapping by display columns. Breaks at spaces, and between two characters
/// where either is wide (Chinese text has no spaces), never inside a grapheme, a
/// Latin word or a URL, and never before closing CJK punctuation (，。) or after opening
/// punctuation (「（), which typesetters forbid.
struct TextWrapper: Sendable {
    var width: Int

    /// One logical line (no newlines) as wrapped lines, trailing spaces dropped.
    func wrap(_ line: String) -> [String] {
        guard DisplayWidth.of(line) > width else { return [line] }
        var lines: [String] = []
        var current = ""
        var currentWidth = 0
        for token in Self.tokens(line) {
            if token.isSpace {
                // Spaces at a break vanish; inside a line they stay.
                if currentWidth > 0 { current += token.text; currentWidth += token.width }
                continue
            }
            if currentWidth + token.width > width, currentWidth > 0 {
                lines.append(Self.trimmedEnd(current))
                current = ""
                currentWidth = 0
            }
            current += token.text
            currentWidth += token.width
        }
        if !current.isEmpty { lines.append(Self.trimmedEnd(current)) }
        return lines
    }

    private struct Token {
        var text: String
        var width: Int
        var isSpace: Bool
    }

    /// Splits into unbreakable pieces: runs of spaces, Latin words (URLs included, since
    /// they contain no spaces), and single wide characters with the punctuation that must
    /// stay on their side attached.
    private static func tokens(_ line: String) -> [Token] {
        var tokens: [Token] = []
        var glueNext = false // the previous token was opening punctuation: no break after it
        for ch in line {
            let w = DisplayWidth.of(ch)
            let space = ch == " " || ch == "\t"
            let wide = DisplayWidth.isWide(ch)
            if var last = tokens.last, !last.isSpace, !space,
               glueNext || noBreakBefore.contains(ch) || (!wide && !isWideToken(last)) {
                last.text.append(ch)
                last.width += w
                tokens[tokens.count - 1] = last
            } else if var last = tokens.last, last.isSpace, space {
                last.text.append(ch)
                last.width += w
                tokens[tokens.count - 1] = last
            } else {
                tokens.append(Token(text: String(ch), width: w, isSpace: space))
            }
            glueNext = noBreakAfter.contains(ch)
        }
        return tokens
    }

    /// A token that ends in a wide character accepts a break after it.
    private static func isWideToken(_ token: Token) -> Bool {
        token.text.last.map(DisplayWidth.isWide) ?? false
    }

    private static let noBreakBefore: Set<Character> = Set("，。、；：！？）」』》〉】〕…—,.;:!?)]}%")
    private static let noBreakAfter: Set<Character> = Set("（「『《〈【〔([{")

    private static func trimmedEnd(_ s: String) -> String {
        var s = Substring(s)
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return String(s)
    }
}
