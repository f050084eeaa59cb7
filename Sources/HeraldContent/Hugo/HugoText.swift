import Foundation

/// Hugo's plain text of a page and its automatic summary (helpers/content.go of 0.111):
/// the words are counted in the HTML with its tags stripped, paragraphs ending in a newline.
enum HugoText {
    /// StripHTML (tpl/template.go): newlines become spaces, `</p>` and `<br>` newlines, tags
    /// go, and of each run of white space left only its first character stays (so a word
    /// count sees one space between paragraphs, not the `\n ` of `</p>\n<p>`). Entities stay
    /// as they are, as in Hugo, whose word count and sentence ends see `&quot;`, not `"`.
    static func plain(_ html: String) -> String {
        let s = html.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "</p>", with: "\n")
            .replacingOccurrences(of: "<br>", with: "\n").replacingOccurrences(of: "<br />", with: "\n")
        var out = String.UnicodeScalarView()
        var inTag = false
        var wasSpace = false
        for r in s.unicodeScalars {
            if r == "<" {
                inTag = true
            } else if r == ">", inTag {
                inTag = false
            } else if !inTag {
                let isSpace = HugoURLRules.isGoSpace(r)
                if !(isSpace && wasSpace) { out.append(r) }
                wasSpace = isSpace
            }
        }
        return String(out)
    }

    /// Han, Hiragana, Katakana or Hangul anywhere: Hugo's cjkRe.
    static func hasCJK(_ s: String) -> Bool {
        s.unicodeScalars.contains { r in
            switch r.value {
            case 0x2E80...0x2FDF, 0x3005, 0x3007, 0x3021...0x3029, 0x3038...0x303B, 0x3400...0x4DBF, 0x4E00...0x9FFF,
                0xF900...0xFAFF, 0x20000...0x3134F, // Han
                0x3041...0x309F, 0x1B001...0x1B11F, // Hiragana
                0x30A1...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9D, // Katakana
                0x1100...0x11FF, 0x3131...0x318E, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xFFA0...0xFFDC: // Hangul
                return true
            default:
                return false
            }
        }
    }

    /// strings.Fields.
    static func fields(_ s: String) -> [Substring] {
        s.split(whereSeparator: { $0.unicodeScalars.allSatisfy(HugoURLRules.isGoSpace) })
    }

    /// TruncateWordsByRune: ASCII words count one each, others a character each.
    static func truncateWordsByRune(_ words: [Substring], length: Int) -> String {
        var count = 0
        for (index, word) in words.enumerated() {
            if count >= length { return words[..<index].joined(separator: " ") }
            let runes = word.unicodeScalars.count
            if word.utf8.count == runes {
                count += 1
            } else if count + runes < length {
                count += runes
            } else {
                var cut = word.unicodeScalars.startIndex
                for i in word.unicodeScalars.indices {
                    if count >= length { break }
                    count += 1
                    cut = word.unicodeScalars.index(after: i)
                }
                return (words[..<index] + [Substring(word.unicodeScalars[..<cut])]).joined(separator: " ")
            }
        }
        return words.joined(separator: " ")
    }

    /// TruncateWordsToWholeSentence: `length` words, then on to the end of that sentence.
    static func truncateToWholeSentence(_ s: String, length: Int) -> String {
        let scalars = Array(s.unicodeScalars)
        var words = 0
        var lastWord = -1
        for (i, r) in scalars.enumerated() where HugoURLRules.isGoSpace(r) {
            words += 1
            lastWord = i
            if words >= length { break }
        }
        guard lastWord >= 0 else { return s }
        guard let end = scalars[lastWord...].firstIndex(where: { ".?!\"\n".unicodeScalars.contains($0) }) else { return s }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[...end])
        return String(view).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
