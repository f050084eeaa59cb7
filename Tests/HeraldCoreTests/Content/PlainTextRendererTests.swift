import Foundation
import Testing
@testable import HeraldCore

@Suite struct PlainTextRendererTests {
    func text(_ markdown: String, width: Int = 72, base: String = "https://weekly.example.org/blog/p/") -> String {
        let rendered = Markdown.render(Substring(markdown), rewriter: URLRewriter(base: URL(string: base)!))
        var renderer = PlainTextRenderer(width: width)
        return renderer.render(rendered.document)
    }

    @Test func headingsAreUnderlinedOrPrefixed() {
        #expect(text("# 周报\n\n## 要闻\n\n### 问答\n") == "周报\n====\n\n要闻\n----\n\n### 问答\n")
    }

    @Test func listsGetBulletsAndNumbers() {
        #expect(text("- 甲\n- 乙\n\n3. one\n4. two\n") == "- 甲\n- 乙\n\n3. one\n4. two\n")
        #expect(text("- 外层\n  - 内层\n") == "- 外层\n  - 内层\n")
    }

    @Test func quotesArePrefixedAndBrBreaksLines() {
        #expect(text("> 第一行<br/>\n> second line<br />third\n") == "> 第一行\n> second line\n> third\n")
    }

    @Test func codeBlocksAreIndentedAndNotWrapped() {
        let long = String(repeating: "x", count: 100)
        #expect(text("```go\nfunc main() {\n\t\(long)\n}\n```\n") == "    func main() {\n    \t\(long)\n    }\n")
    }

    @Test func imagesAndLinksBecomeReferences() {
        let out = text("看 [文档](/docs/) 和 [issue](https://github.com/x/y/issues/1)。\n\n![会场 地图](images/map.png)\n\n<https://example.org>\n")
        #expect(out == """
            看 文档[1] 和 issue[2]。

            [image: 会场 地图]

            https://example.org

            [1] https://weekly.example.org/docs/
            [2] https://github.com/x/y/issues/1

            """)
    }

    @Test func paragraphsWrapAt72ColumnsCountingWideCharactersTwice() {
        let para = String(repeating: "社区会议回顾与版本发布预告。", count: 12)
        let lines = text(para).split(separator: "\n").map(String.init)
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 72 })
        #expect(lines.joined() == para)
    }

    @Test func chineseSoftBreaksJoinWithoutSpace() {
        #expect(text("第一行中文\n第二行中文\nand English\n") == "第一行中文第二行中文 and English\n")
    }

    @Test func tablesAreAlignedByDisplayWidth() {
        let out = text("| 项目 | 版本 |\n| --- | --- |\n| Layotto | v1.2 |\n")
        #expect(out == "项目    | 版本\n--------+-----\nLayotto | v1.2\n")
    }

    @Test func wrappedTextInsideQuotesKeepsThePrefix() {
        let quote = "> " + String(repeating: "长句子", count: 30) + "\n"
        let lines = text(quote).split(separator: "\n")
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { $0.hasPrefix("> ") && DisplayWidth.of($0) <= 72 })
    }
}

@Suite struct PlainTextRawHTMLTests {
    func text(_ markdown: String) -> String {
        let rendered = Markdown.render(Substring(markdown), rewriter: URLRewriter(base: URL(string: "https://e.org/blog/p/")!))
        var renderer = PlainTextRenderer()
        return renderer.render(rendered.document)
    }

    @Test func rawAnchorsBecomeReferencesAndRawImagesLabels() {
        #expect(text("报名：<a href=\"/signup/?a=1&amp;b=2\">报名表单</a>。\n\n<img src=\"map.png\" alt=\"会场 地图\">\n") == """
            报名：报名表单[1]。

            [image: 会场 地图]

            [1] https://e.org/signup/?a=1&b=2

            """)
    }

    @Test func strikethroughAndMailtoStayReadable() {
        #expect(text("~~旧~~ 新，写信到 <dev@example.org>\n") == "~~旧~~ 新，写信到 dev@example.org\n")
    }
}

@Suite struct HostileMarkdownTests {
    static let quotes = String(repeating: ">", count: 5_000) + " 深处\n"
    static let lists = (0..<2_000).map { String(repeating: "  ", count: $0) + "- 层" }.joined(separator: "\n") + "\n"

    /// Rendered on worker threads, whose stacks are smaller than the main thread's.
    @Test func deepNestingRendersOnWorkerThreads() throws {
        let s = try ScratchPublication()
        for (i, body) in [Self.quotes, Self.lists, Self.quotes, Self.lists].enumerated() {
            try s.post("deep-\(i).md", "title: 深\(i)\ndate: 2024-01-01", body: body)
        }
        let rendered = s.loader.render(s.scan().metas)
        #expect(rendered.problems == [])
        #expect(rendered.posts.count == 4)
    }

    @Test func deepNestingDoesNotOverflowTheStack() {
        let quotes = String(repeating: ">", count: 5_000) + " 深处\n"
        let lists = (0..<2_000).map { String(repeating: "  ", count: $0) + "- 层" }.joined(separator: "\n") + "\n"
        let brackets = String(repeating: "[", count: 20_000) + "文" + String(repeating: "]", count: 20_000) + "\n"
        for markdown in [quotes, lists, brackets] {
            let rendered = Markdown.render(Substring(markdown), rewriter: URLRewriter(base: URL(string: "https://e.org/p/")!))
            var renderer = PlainTextRenderer()
            let text = renderer.render(rendered.document)
            #expect(!rendered.html.isEmpty)
            #expect(!text.isEmpty)
        }
    }
}
