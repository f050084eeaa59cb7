import HeraldBase
import Testing

@Suite struct TextWrapperTests {
    @Test func displayWidthCountsWideCharactersTwice() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("社区周报") == 8)
        #expect(DisplayWidth.of("，。") == 4) // fullwidth punctuation
        #expect(DisplayWidth.of("👍🏽") == 2) // emoji with skin tone: one grapheme
        #expect(DisplayWidth.of("e\u{301}") == 1) // e + combining acute
        #expect(DisplayWidth.of("❤️") == 2) // VS16 asks for emoji presentation
    }

    @Test func chineseBreaksBetweenCharactersWithinWidth() {
        let text = String(repeating: "社区会议版本发布组件开源", count: 10) // 120 wide characters
        let lines = TextWrapper(width: 72).wrap(text)
        #expect(lines.count == 4) // 240 columns / 72 → 36 characters per line
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 72 })
        #expect(lines.dropLast().allSatisfy { DisplayWidth.of($0) == 72 })
        #expect(lines.joined() == text)
    }

    @Test func latinBreaksAtSpacesAndURLsStayWhole() {
        let url = "https://github.com/example/server/issues/1024?tab=comments"
        let text = "请看 issue 讨论：" + url + " 以及后续 follow-up discussion in the thread"
        let lines = TextWrapper(width: 30).wrap(text)
        #expect(lines.contains(url))
        #expect(lines.allSatisfy { $0 == url || DisplayWidth.of($0) <= 30 })
        #expect(!lines.contains { $0.hasPrefix(" ") || $0.hasSuffix(" ") })
        #expect(lines.contains { $0.hasSuffix("follow-up") || $0.contains("follow-up ") })
    }

    @Test func closingPunctuationNeverStartsALine() {
        let text = String(repeating: "这是一句话，", count: 20)
        for width in 9...20 {
            let lines = TextWrapper(width: width).wrap(text)
            #expect(!lines.contains { $0.hasPrefix("，") }, "width \(width)")
            #expect(lines.joined() == text)
        }
    }

    @Test func emojiGraphemesAreNeverSplit() {
        let family = "👨‍👩‍👧"
        let text = String(repeating: "好" + family, count: 30)
        let lines = TextWrapper(width: 10).wrap(text)
        #expect(lines.joined() == text)
        #expect(lines.allSatisfy { $0.unicodeScalars.first != "\u{200D}" })
    }
}
