import Testing

@testable import HeraldContent

@Suite struct SummaryTests {
    @Test func countsCharactersNotWords() {
        let text = String(repeating: "社区周报", count: 100) // 400 characters, no spaces
        let summary = Summary.truncated(text)
        #expect(summary.count == 121) // 120 characters and the ellipsis
        #expect(summary.hasSuffix("…"))
    }

    @Test func neverCutsInsideAGrapheme() {
        let text = String(repeating: "👨‍👩‍👧好", count: 100)
        let summary = Summary.truncated(text)
        #expect(summary.dropLast().allSatisfy { $0 == "👨‍👩‍👧" || $0 == "好" })
        #expect(summary.count == 121)
        #expect(summary.unicodeScalars.dropLast().last != "\u{200D}")
    }

    @Test func backsOffToASpaceInsideLatinWords() {
        let text = String(repeating: "community ", count: 20)
        let summary = Summary.truncated(text)
        #expect(summary.hasSuffix("community…"))
        #expect(summary.count <= 121)
    }

    @Test func shortTextIsKept() {
        #expect(Summary.truncated("简短的摘要") == "简短的摘要")
    }
}
