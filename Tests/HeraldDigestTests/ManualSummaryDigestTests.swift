import Foundation
import HeraldContent
import HeraldDigest
import HeraldTestSupport
import Testing

/// A summary digest shows a `<!--more-->` summary with its shape: a heading, a list and a
/// table stay one, in the HTML part as sanitized HTML, in the text part as the body's text.
@Suite struct ManualSummaryDigestTests {
    let dir: TempDir

    init() throws { dir = try TempDir() }

    func composer() throws -> DigestComposer {
        let scratch = try ScratchPublication()
        try scratch.post("a.md", "title: 社区周报 第 12 期\ndate: 2025-03-10T10:00:00+08:00", body: ShapedSummary.body)
        let yaml = DigestFixtures.yaml.replacingOccurrences(of: "content: full", with: "content: summary")
        return try DigestFixtures.composer(try DigestFixtures.publication(dir, yaml: yaml), posts: [try scratch.only()])
    }

    @Test func htmlPartKeepsHeadingListAndTable() throws {
        let html = try composer().previewHTML(for: DigestFixtures.subscriber)
        #expect(html.contains(">本周要点</h2>"))
        #expect(html.contains(">发布 \"v2.1\" 版本</li>"))
        #expect(html.contains("<table"))
        #expect(html.contains(">插件市场</td>"))
        #expect(html.contains("href=\"https://weekly.example.org/docs/contributing/\""))
        #expect(!html.contains("正文其余部分"))
        #expect(!html.contains("本周要点 发布 \"v2.1\" 版本")) // not one run-on paragraph
    }

    @Test func textPartHasBulletsAndAlignedRows() throws {
        let text = try composer().plainText(for: DigestFixtures.subscriber)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.contains("本周要点"))
        #expect(lines.contains("- 发布 \"v2.1\" 版本"))
        #expect(lines.contains("项目     | 版本"))
        #expect(lines.contains("runtime  | 2.1.0"))
        #expect(lines.contains("插件市场 | 0.3"))
        #expect(text.contains("[1] https://weekly.example.org/docs/contributing/"))
        #expect(!text.contains("正文其余部分"))
        #expect(text.contains("插件市场 | 0.3\n\n[1] https://weekly.example.org/docs/contributing/\n\n阅读全文："))
    }
}
