import Foundation
import HeraldBase
import HeraldConfig
import HeraldTestSupport
import Testing

@testable import HeraldContent

/// A summary cut with `<!--more-->` keeps its headings, lists and tables, in HTML and in
/// the laid-out text; written and automatic summaries stay plain text.
@Suite struct ManualSummaryTests {
    @Test func theCutKeepsItsShape() throws {
        let scratch = try ScratchPublication()
        try scratch.post("a.md", "title: 社区周报 第 12 期\ndate: 2025-03-10T10:00:00+08:00", body: ShapedSummary.body)
        let post = try scratch.only()
        let manual = try #require(post.manualSummary)
        #expect(manual.html.contains("<h2>本周要点</h2>"))
        #expect(manual.html.contains("<li>发布 &quot;v2.1&quot; 版本</li>"))
        #expect(manual.html.contains("<a href=\"https://weekly.example.org/docs/contributing/\">贡献指南</a>"))
        #expect(manual.html.contains("<td>插件市场</td>"))
        #expect(!manual.html.contains("正文其余部分"))
        // Rows aligned by display width: 插件市场 is eight columns wide, as runtime plus one space.
        let lines = manual.text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.contains("- 发布 \"v2.1\" 版本"))
        #expect(lines.contains("项目     | 版本"))
        #expect(lines.contains("runtime  | 2.1.0"))
        #expect(lines.contains("插件市场 | 0.3"))
        #expect(!manual.text.contains("正文其余部分"))
        #expect(!manual.text.hasSuffix("\n"))
        // The plain summary is still one line, for whoever wants text.
        #expect(post.summary.hasPrefix("本周要点 发布 \"v2.1\" 版本 新增 贡献指南"))
    }

    @Test func otherSummariesHaveNoShape() throws {
        let scratch = try ScratchPublication()
        try scratch.post("a.md", "title: 周报\ndate: 2025-03-10T10:00:00+08:00", body: "- 一\n- 二\n")
        try scratch.post("b.md", "title: 周报二\ndate: 2025-03-11T10:00:00+08:00\ndescription: 写好的摘要", body: ShapedSummary.body)
        let posts = scratch.loader.render(scratch.scan().metas).posts
        #expect(posts.count == 2)
        #expect(posts.allSatisfy { $0.manualSummary == nil })
        #expect(posts.map(\.summary).sorted() == ["一 二", "写好的摘要"].sorted())
    }

    /// A Hugo site's summary has the body's typography: Goldmark's curly quotes.
    @Test func hugoSummaryHasTheBodysTypography() {
        let meta = PostMeta(
            source: "posts/a.md", title: "周报", slug: "a", permalink: URL(string: "https://weekly.example.org/a/")!,
            date: Date(timeIntervalSince1970: 0), utcOffset: 0, updated: Date(timeIntervalSince1970: 0),
            author: Person(name: "编辑组"), description: nil, summaryOverride: nil, categories: [], tags: [], cover: nil,
            draft: false)
        let body = Substring(ShapedSummary.body)
        let dialect = MarkdownDialect.hugo(summaryLength: 70, hasCJKLanguage: true)
        let rendered = Markdown.render(body, rewriter: nil, dialect: dialect)
        let summary = Summary.make(meta: meta, body: body, rendered: rendered, dialect: dialect, text: true)
        #expect(summary.plain.contains("发布 “v2.1” 版本"))
        #expect(summary.manual?.html.contains("“v2.1”") == true)
        #expect(summary.manual?.text.contains("- 发布 “v2.1” 版本") == true)
    }
}
