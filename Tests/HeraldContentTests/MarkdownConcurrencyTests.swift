import Dispatch
import Foundation
import HeraldBase
import Synchronization
import Testing

@testable import HeraldContent

/// Posts are rendered on several threads at once; each must come out as it does alone.
@Suite struct MarkdownConcurrencyTests {
    static let markdown = """
        | 方案 | 说明 |
        | --- | --- |
        | A | ~~同步写入~~ 异步写入 |

        见 www.example.org 与 https://example.org/x 以及 ~~旧~~新。 [图](images/a.png) <img src="b.png">

        """ + String(repeating: "段落 *强调* **加粗** `code` [链接](../p/) 文字。\n\n", count: 50)

    static let base = URL(string: "https://e.org/posts/p/")!

    /// cmark-gfm switches its extensions' inline triggers (`~`, `:`, `w`) on and off in a
    /// process-wide table around each parser's inline phase; a parser finishing on another
    /// thread used to turn strikethrough off in the middle of this one.
    @Test func renderingOnManyThreadsGivesTheSameHTML() {
        let alone = Markdown.render(Substring(Self.markdown), rewriter: URLRewriter(base: Self.base))
        #expect(alone.html.contains("<del>同步写入</del>"))
        #expect(alone.html.contains("<a href=\"http://www.example.org\">"))
        #expect(alone.html.contains("https://e.org/posts/p/images/a.png"))
        let results = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 400) { _ in
            let html = Markdown.render(Substring(Self.markdown), rewriter: URLRewriter(base: Self.base)).html
            results.withLock { $0.append(html) }
        }
        let htmls = results.withLock { $0 }
        #expect(htmls.count == 400)
        #expect(htmls.allSatisfy { $0 == alone.html })
    }

    /// The document is converted from cmark's tree on first use, possibly on another
    /// thread than the one that rendered it, and more than once.
    @Test func documentIsTheSameWhereverAndWheneverItIsAsked() {
        let rendered = Markdown.render(Substring(Self.markdown), rewriter: URLRewriter(base: Self.base))
        let documents = Mutex<[MarkdownNode]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let document = rendered.document
            documents.withLock { $0.append(document) }
        }
        let all = documents.withLock { $0 }
        #expect(all.count == 8)
        #expect(all.allSatisfy { $0 == rendered.document })
        #expect(all.first?.children.first?.kind == .table)
    }

    /// The table extension parses each row's inlines while lines are fed, adding and
    /// removing the same characters: parsing is exclusive from feed to finish, so 2,000
    /// parses of a post with a table on all cores all match the one parsed alone.
    @Test func tablesFedOnOtherThreadsLeaveStrikethroughAlone() {
        let markdown: Substring = """
            ~~同步写入~~ 异步写入，见 www.example.org 与 https://example.org/a。

            | 旧 | 新 |
            |---|---|
            | ~~同步~~ | 异步 |
            """
        let expected = Markdown.render(markdown, rewriter: nil).html
        #expect(expected.contains("<del>同步写入</del>"))
        #expect(expected.contains("<td><del>同步</del></td>"))
        let results = parallelMap(Array(0..<2_000)) { _ in Markdown.render(markdown, rewriter: nil).html }
        #expect(results.filter { $0 != expected }.isEmpty)
    }
}
