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
