import Testing
@testable import HeraldCore

/// cmark-gfm keeps the characters that start an extension's inline syntax (`~`, `:`,
/// `w`, `|`) in one global table, which every parse used to add to and remove from.
/// Posts render on all cores, so one parse finishing could switch strikethrough off in
/// the middle of another: the same post came out with or without `<del>` from run to run.
@Suite struct MarkdownConcurrencyTests {
    @Test func extensionsWorkInEveryConcurrentParse() {
        let markdown: Substring = """
            ~~同步写入~~ 异步写入，见 www.example.org 与 https://example.org/a。

            | 旧 | 新 |
            |---|---|
            | ~~同步~~ | 异步 |
            """
        let results = parallelMap(Array(0..<2_000)) { _ in Markdown.render(markdown, rewriter: nil).html }
        let expected = Markdown.render(markdown, rewriter: nil).html
        #expect(expected.contains("<del>同步写入</del>"))
        #expect(expected.contains("<td><del>同步</del></td>"))
        #expect(expected.contains("<a href=\"http://www.example.org\">www.example.org</a>"))
        #expect(results.allSatisfy { $0 == expected }, "\(results.filter { $0 != expected }.count) of 2,000 parses differ")
    }
}
