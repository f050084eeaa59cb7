import HeraldBase
import HeraldTestSupport
import Testing

/// `HTMLEscaping` works on UTF-8 bytes; it must give what escaping scalar by scalar gives.
@Suite struct HTMLEscapingTests {
    /// The plain way: each scalar looked at on its own.
    static func plain(_ text: String, quote: Unicode.Scalar?) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\u{0}": break
            case "\"" where quote == "\"": out += "&quot;"
            case "'" where quote == "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static let pieces: [String] = [
        "&", "<", ">", "\"", "'", "\u{0}", "a", " ", "é", "e\u{301}", "\u{301}", "文", "🚀", "👩‍👩‍👧",
        "&amp;", "\r\n", "\u{FFFD}", "x",
    ]

    @Test(arguments: ["", "plain text", "a < b & c > d", "\"q\" 'a'", "&\u{301}", "<\u{338}", "\"\u{301}", "a\u{0}b"])
    func examples(_ text: String) {
        #expect(HTMLEscaping.text(text) == Self.plain(text, quote: nil))
        #expect(HTMLEscaping.attribute(text) == Self.plain(text, quote: "\""))
        #expect(HTMLEscaping.attribute(text, quote: "'") == Self.plain(text, quote: "'"))
    }

    /// Random strings of the pieces above. The seed is printed; HERALD_TEST_SEED=N repeats a run.
    @Test func randomTextEscapesAsThePlainWay() {
        var generator = TestRandom.seeded("HTMLEscapingTests")
        for _ in 0..<2_000 {
            let count = Int.random(in: 0...24, using: &generator)
            let text = (0..<count).map { _ in Self.pieces.randomElement(using: &generator)! }.joined()
            #expect(HTMLEscaping.text(text) == Self.plain(text, quote: nil), "\(generator.replay)")
            #expect(HTMLEscaping.attribute(text) == Self.plain(text, quote: "\""), "\(generator.replay)")
            #expect(HTMLEscaping.attribute(text, quote: "'") == Self.plain(text, quote: "'"), "\(generator.replay)")
        }
    }

    @Test func cleanTextIsReturnedAsItIs() {
        let text = "nothing to escape here, 文档 🚀"
        #expect(HTMLEscaping.text(text) == text)
        #expect(HTMLEscaping.attribute("it's", quote: "\"") == "it's")
    }
}
