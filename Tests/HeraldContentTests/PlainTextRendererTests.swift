import Foundation
import HeraldBase
import HeraldTestSupport
import Testing

@testable import HeraldContent

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
        #expect(
            out == """
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

    /// Display columns at which `mark` occurs in `line`.
    func columns(of mark: Character, in line: String) -> [Int] {
        var column = 0
        var found: [Int] = []
        for ch in line {
            if ch == mark { found.append(column) }
            column += DisplayWidth.of(ch)
        }
        return found
    }

    @Test func narrowTablesKeepTheGridWithChineseCellsAligned() {
        let out = text(
            """
            | 项目 | 负责人 | 状态 |
            | --- | --- | --- |
            | Layotto 运行时 | 张三 | 已发布 |
            | Ark | 欧阳娜娜 | dev |

            """)
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        // Separators of every row sit in the display columns of the underline's `+`.
        let plus = columns(of: "+", in: lines[1])
        #expect(plus.count == 2)
        for row in [lines[0], lines[2], lines[3]] { #expect(columns(of: "|", in: row) == plus, "\(row)") }
        #expect(lines[1].allSatisfy { $0 == "-" || $0 == "+" })
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 72 })
    }

    static let wideTable = """
        | 项目 | 负责人 | 状态 | 说明 | 链接 |
        | --- | --- | --- | --- | --- |
        | Layotto 运行时 | 张三 | 已发布 | 支持 WebAssembly 插件与多运行时 API，*配置中心*客户端改为延迟初始化，启动提速百分之四十 | [发布说明](https://github.com/example-community/layotto/releases/tag/v1.2.0) |
        | Ark | 李四 | 开发中 | 模块化类加载隔离，`ClassLoader` 按模块划分 | [设计文档](/docs/ark/design/) |

        """

    @Test func wideTablesBecomeOneBlockPerRowWithinTheWidth() {
        let out = text(Self.wideTable)
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 72 }, "\(lines.filter { DisplayWidth.of($0) > 72 })")
        // Every cell's text is there (wrapping may put a line break inside a value).
        let squeezed = out.filter { !$0.isWhitespace }
        let cells = [
            "Layotto运行时", "张三", "已发布", "支持WebAssembly插件与多运行时API，配置中心客户端改为延迟初始化，启动提速百分之四十",
            "发布说明[1]", "Ark", "李四", "开发中", "模块化类加载隔离，ClassLoader按模块划分", "设计文档[2]",
        ]
        for cell in cells { #expect(squeezed.contains(cell), "\(cell)") }
        // Each row is a block of `Header: value` fields, labelled with the header cells.
        for header in ["项目", "负责人", "状态", "说明", "链接"] {
            #expect(lines.filter { $0.hasPrefix(header + ":") }.count == 2, "\(header)")
        }
        #expect(lines.contains("项目:   Ark"))
        let second = lines.firstIndex { $0.hasSuffix("Ark") }!
        #expect(lines[second - 1] == "")
        #expect(
            out.hasSuffix(
                """
                [1] https://github.com/example-community/layotto/releases/tag/v1.2.0
                [2] https://weekly.example.org/docs/ark/design/

                """))
    }

    @Test func wideTablesInsideQuotesKeepThePrefixAndWidth() {
        let quoted = Self.wideTable.split(separator: "\n").map { "> " + $0 }.joined(separator: "\n") + "\n"
        let lines = text(quoted).split(separator: "\n").map(String.init).prefix { !$0.hasPrefix("[1]") }.filter { !$0.isEmpty }
        #expect(lines.count > 10)
        #expect(lines.allSatisfy { $0.hasPrefix(">") && DisplayWidth.of($0) <= 72 })
    }

    @Test func aURLTooLongForItsCellStandsAloneUncut() {
        let url = "https://github.com/example-community/layotto/blob/main/docs/zh/start/wasm/start.md"
        let out = text("| 项目 | 负责人 | 状态 | 说明 | 文档 |\n| - | - | - | - | - |\n| Layotto | 张三 | 已发布 | 支持 WebAssembly 插件 | <\(url)> |\n")
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.contains(url))
        #expect(lines.allSatisfy { $0 == url || DisplayWidth.of($0) <= 72 })
        #expect(lines.contains("文档:"))
    }

    @Test func longHeadersPutValuesUnderTheirLabels() {
        let header = "这一列的标题写得非常非常长"
        let out = text("| \(header) | B | C |\n| - | - | - |\n| \(String(repeating: "值", count: 40)) | b | c |\n")
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.first == header + ":")
        #expect(lines[1].hasPrefix("  值"))
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 72 })
        #expect(lines.contains("B:") && lines.contains("  b"))
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
        #expect(
            text("报名：<a href=\"/signup/?a=1&amp;b=2\">报名表单</a>。\n\n<img src=\"map.png\" alt=\"会场 地图\">\n") == """
                报名：报名表单[1]。

                [image: 会场 地图]

                [1] https://e.org/signup/?a=1&b=2

                """)
    }

    @Test func rawHTMLBlocksKeepTheirTextAndDropScripts() {
        let out = text(
            """
            <div class="notice">通知：本周会议改期至 <b>3 月 14 日</b>，
            详见<a href="/news/">公告</a>。</div>

            <script>alert("x")</script>

            <style>.notice { color: red }</style>

            <p>第一段 &amp; 实体&nbsp;&lt;tag&gt;</p><p>第二段<br>换行 <a href="javascript:alert(1)">不是链接</a></p>

            <!--more-->

            """)
        #expect(
            out == """
                通知：本周会议改期至 3 月 14 日，详见公告[1]。

                第一段 & 实体 <tag>

                第二段
                换行 不是链接

                [1] https://e.org/news/

                """)
    }

    @Test func longRawHTMLTextIsWrapped() {
        let sentence = String(repeating: "社区会议回顾与版本发布预告。", count: 12)
        let out = text("<section>\n<p>\(sentence)</p>\n</section>\n")
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 72 })
        #expect(lines.joined() == sentence)
    }

    @Test func strikethroughAndMailtoStayReadable() {
        #expect(text("~~旧~~ 新，写信到 <dev@example.org>\n") == "~~旧~~ 新，写信到 dev@example.org\n")
    }
}

@Suite struct HostileMarkdownTests {
    static let quotes = String(repeating: ">", count: 5_000) + " 深处\n"
    static let lists = (0..<2_000).map { String(repeating: "  ", count: $0) + "- 层" }.joined(separator: "\n") + "\n"
    static let divs = String(repeating: "<div>", count: 20_000) + "深处" + String(repeating: "</div>", count: 20_000) + "\n"

    /// Rendered on worker threads, whose stacks are smaller than the main thread's.
    @Test func deepNestingRendersOnWorkerThreads() throws {
        let s = try ScratchPublication()
        for (i, body) in [Self.quotes, Self.lists, Self.divs, Self.quotes, Self.lists, Self.divs].enumerated() {
            try s.post("deep-\(i).md", "title: 深\(i)\ndate: 2024-01-01", body: body)
        }
        let rendered = s.loader.render(s.scan().metas)
        #expect(rendered.problems == [])
        #expect(rendered.posts.count == 6)
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
