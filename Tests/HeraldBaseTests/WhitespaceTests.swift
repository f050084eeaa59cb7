import Testing

@testable import HeraldBase

@Suite struct WhitespaceTests {
    /// The shortcut in `needsCollapsing` must never skip a real White_Space scalar.
    @Test func prefilterCoversEveryWhitespaceScalar() {
        for v in UInt32(0x80)...0x10FFFF {
            guard let scalar = Unicode.Scalar(v), scalar.properties.isWhitespace else { continue }
            #expect(Whitespace.mightBeWhitespace(v), "U+\(String(v, radix: 16, uppercase: true))")
        }
    }

    @Test(arguments: [
        ("社区周报", "社区周报"),
        ("社区\u{3000}周报", "社区 周报"),
        ("a\u{A0}b", "a b"),
        ("a\u{2009}\u{2028}b", "a b"),
        ("a\u{85}b", "a b"),
        (" 社区  会议 ", "社区 会议"),
        ("a\u{200B}b", "a\u{200B}b"), // zero width space is not White_Space
    ])
    func collapsesUnicodeWhitespace(_ input: String, _ expected: String) {
        #expect(Whitespace.collapsed(input) == expected)
    }

    /// The one-pass collapse gives what splitting on whitespace characters and joining does.
    @Test(arguments: [
        "", " ", "a", " a ", "a  b\tc\r\nd", " \u{301}a", "\r\n社区\u{3000}\u{3000}周报\n",
        "e\u{301} e\u{301}  ", "a\u{85}\u{A0}b c",
    ])
    func collapseMatchesSplitAndJoin(_ input: String) {
        let expected = input.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(Array(Whitespace.collapsed(input).utf8) == Array(expected.utf8))
    }

    /// The scalar shortcut in `collapsed` assumes these scalars never share a character
    /// with a space before or after them.
    @Test func standsAloneScalarsNeverJoinASpace() {
        for v in UInt32(0x80)...0xFFFF where Whitespace.standsAlone(v) {
            guard let scalar = Unicode.Scalar(v), !scalar.properties.isWhitespace else { continue }
            let c = Character(scalar)
            #expect(String([" ", c]).count == 2 && String([c, " "]).count == 2, "U+\(String(v, radix: 16, uppercase: true))")
        }
    }

    @Test(arguments: [
        " 社区  会议 ", "SOFA  Weekly | 第 1 期 ", " \u{301}社区", "社区 \u{301}", "\u{600} 1", "a \u{3099}",
        "社区 \u{302A}周报", "ｶ \u{FF9E}", "👍🏽 ok  ", "e\u{301} e\u{301}  ",
    ])
    func scalarShortcutMatchesSplitAndJoin(_ input: String) {
        let expected = input.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(Array(Whitespace.collapsed(input).utf8) == Array(expected.utf8))
    }
}
