import Foundation
import HeraldContent
import HeraldTestSupport
import Testing

@testable import HeraldFeeds

/// A `<!--more-->` summary is HTML in Atom `summary` and RSS `description`, sanitized as
/// the content is, so its heading, list and table survive; other summaries stay text.
@Suite struct ManualSummaryFeedTests {
    @Test func feedSummaryKeepsItsShape() throws {
        let scratch = try ScratchPublication()
        try scratch.post(
            "a.md", "title: 社区周报 第 12 期\ndate: 2025-03-10T10:00:00+08:00",
            body: "## 本周要点\n\n- 发布 v2.1\n- 新增插件\n\n| 项目 | 版本 |\n| --- | --- |\n| runtime | 2.1.0 |\n\n"
                + "<!--more-->\n\n正文其余部分。\n")
        try scratch.post("b.md", "title: 周报二\ndate: 2025-03-11T10:00:00+08:00", body: "没有分隔的正文。\n")
        let posts = scratch.loader.render(scratch.scan().metas, parts: .web).posts
        let dir = try TempDir()
        let out = dir.url.appendingPathComponent("out")
        _ = try Fixture.build(scratch.publication, posts, out: out)
        let atom = try ParsedFeed(out.appendingPathComponent("atom.xml"))
        let namespaces = "*[local-name()='entry']/*[local-name()='summary']"
        let summaries = try atom.strings("//" + namespaces)
        let types = try atom.strings("//" + namespaces + "/@type")
        #expect(summaries.count == 2)
        #expect(types == ["html"])
        let shaped = try #require(summaries.first { $0.contains("<h2>") })
        #expect(shaped.contains("<li>发布 v2.1</li>"))
        #expect(shaped.contains("<td>runtime</td>"))
        #expect(!shaped.contains("正文其余部分"))
        #expect(summaries.contains("没有分隔的正文。"))
        let rss = try ParsedFeed(out.appendingPathComponent("rss.xml"))
        let descriptions = try rss.strings("//item/description")
        #expect(descriptions.contains { $0.contains("<ul>") && $0.contains("<table>") })
        #expect(descriptions.contains("没有分隔的正文。"))
    }
}
