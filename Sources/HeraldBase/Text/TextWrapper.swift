/// Greedy line wrapping by display columns. Breaks at spaces, and between two characters
/// where either is wide (Chinese text has no spaces), never inside a grapheme, a
/// Latin word or a URL, and never before closing CJK punctuation (，。) or after opening
/// punctuation (「（), which typesetters forbid.
package struct TextWrapper: Sendable {
    var width: Int

    package init(width: Int) { self.width = width }

    /// One logical line (no newlines) as wrapped lines, trailing spaces dropped.
    package func wrap(_ line: String) -> [String] {
        guard DisplayWidth.of(line) > width else { return [line] }
        let ascii = line.utf8.allSatisfy { $0 < 0x80 }
        var lines: [String] = []
        var current = ""
        var currentWidth = 0
        for token in ascii ? Self.asciiTokens(line) : Self.tokens(line) {
            if token.isSpace {
                // Spaces at a break vanish; inside a line they stay.
                if currentWidth > 0 {
                    current += token.text
                    currentWidth += token.width
                }
                continue
            }
            if currentWidth + token.width > width, currentWidth > 0 {
                lines.append(Whitespace.trimmedEnd(current))
                current = ""
                currentWidth = 0
            }
            current += token.text
            currentWidth += token.width
        }
        if !current.isEmpty { lines.append(Whitespace.trimmedEnd(current)) }
        return lines
    }

    private struct Token {
        var text: String
        var width: Int
        var isSpace: Bool
        /// A token that ends in a wide character accepts a break after it.
        var endsWide = false
    }

    /// Splits into unbreakable pieces: runs of spaces, Latin words (URLs included, since
    /// they contain no spaces), and single wide characters with the punctuation that must
    /// stay on their side attached.
    private static func tokens(_ line: String) -> [Token] {
        var tokens: [Token] = []
        var glueNext = false // the previous token was opening punctuation: no break after it
        for ch in line {
            // Decided on the first scalar: Character == and Set<Character> compare by
            // canonical equivalence, which is slow and not needed for these ASCII/CJK tests.
            let first = ch.unicodeScalars.first!.value
            let w = DisplayWidth.of(ch)
            let space = first == 0x20 || first == 0x09
            let wide = w == 2
            let joins =
                tokens.last.map { last in
                    last.isSpace ? space : !space && (glueNext || noBreakBefore.contains(first) || (!wide && !last.endsWide))
                } ?? false
            if joins {
                // In place: a copy of the last token would copy its text on every append.
                tokens[tokens.count - 1].text.append(ch)
                tokens[tokens.count - 1].width += w
                tokens[tokens.count - 1].endsWide = wide
            } else {
                tokens.append(Token(text: String(ch), width: w, isSpace: space, endsWide: wide))
            }
            glueNext = noBreakAfter.contains(first)
        }
        return tokens
    }

    /// `tokens` for ASCII-only text, on bytes: nothing is wide, so the punctuation
    /// rules never join across a space and tokens are just runs of spaces and of the rest
    /// (the digest composer wraps the footer line with each subscriber's address).
    private static func asciiTokens(_ line: String) -> [Token] {
        var tokens: [Token] = []
        var text: [UInt8] = []
        var width = 0
        var isSpace = false
        for byte in line.utf8 {
            let space = byte == 0x20 || byte == 0x09
            if !text.isEmpty, space != isSpace {
                tokens.append(Token(text: String(decoding: text, as: UTF8.self), width: width, isSpace: isSpace))
                text.removeAll(keepingCapacity: true)
                width = 0
            }
            if text.isEmpty { isSpace = space }
            text.append(byte)
            width += byte < 0x20 ? 0 : 1
        }
        if !text.isEmpty { tokens.append(Token(text: String(decoding: text, as: UTF8.self), width: width, isSpace: isSpace)) }
        return tokens
    }

    private static let noBreakBefore: Set<UInt32> = Set("，。、；：！？）」』》〉】〕…—,.;:!?)]}%".unicodeScalars.map(\.value))
    private static let noBreakAfter: Set<UInt32> = Set("（「『《〈【〔([{".unicodeScalars.map(\.value))
}
