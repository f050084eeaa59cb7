import Foundation
import HeraldContent
import HeraldDigest
import HeraldTestSupport
import Testing

/// A summary that only repeats the title (a weekly whose `description` is its title) is
/// left out: the digest shows the title alone.
@Suite struct TitleEchoTests {
    let dir: TempDir

    init() throws { dir = try TempDir() }

    @Test(arguments: [
        ("周报 | 社区周报 | 本周贡献、问答整理", "周报 | 社区周报 | 本周贡献、问答整理"), // the same
        ("Weekly | Weekly | 本周贡献", "WEEKLY | weekly | 本周贡献"), // case
        ("Weekly｜会议预告：本周贡献，问答", "Weekly | 会议预告: 本周贡献, 问答"), // full width
        ("Weekly | 会议预告", "  Weekly|\n会议预告 "), // white space
        ("Weekly｜会议预告、本周贡献", "会议预告"), // a part of the title
        ("Weekly", ""),
    ])
    func echoes(title: String, summary: String) {
        #expect(TitleEcho.summary(summary, repeats: title))
    }

    @Test(arguments: [
        ("Weekly｜会议预告", "Weekly｜会议预告与回顾"), // says more
        ("Weekly｜会议预告", "本周精选问答，同步开源进展。"),
        ("Weekly", "Weekly."), // a half-width mark is not a full-width one's twin unless it is one
    ])
    func saysMore(title: String, summary: String) {
        #expect(!TitleEcho.summary(summary, repeats: title))
    }

    /// Shaped like a community weekly: `description` is the title with `WEEKLY` shouted.
    static let weekly = DigestFixtures.post(
        title: "SOFA Weekly | SOFA Weekly | 社区本周贡献、问答整理、新手任务",
        summary: "SOFA WEEKLY | SOFA Weekly | 社区本周贡献、问答整理、新手任务")

    @Test func summaryDigestShowsTheTitleAlone() throws {
        let yaml = DigestFixtures.yaml.replacingOccurrences(of: "content: full", with: "content: summary")
        let composer = try DigestFixtures.composer(
            try DigestFixtures.publication(dir, yaml: yaml), posts: [Self.weekly])
        let text = composer.plainText(for: DigestFixtures.subscriber)
        let html = composer.previewHTML(for: DigestFixtures.subscriber)
        #expect(!text.contains("SOFA WEEKLY"))
        #expect(!html.contains("SOFA WEEKLY"))
        #expect(!html.contains("<p style=\"margin:0 0 12px 0;\"></p>"))
        // The title, then straight to the link: no blank summary paragraph between.
        #expect(text.contains("1. SOFA Weekly | SOFA Weekly | 社区本周贡献、问答整理、新手任务\n"))
        #expect(text.contains(" · 周报\n\n阅读全文：https://weekly.example.org/posts/weekly-1/\n"))
    }

    @Test func aSummaryThatSaysMoreStays() throws {
        let yaml = DigestFixtures.yaml.replacingOccurrences(of: "content: full", with: "content: summary")
        let composer = try DigestFixtures.composer(try DigestFixtures.publication(dir, yaml: yaml))
        #expect(composer.plainText(for: DigestFixtures.subscriber).contains("本周精选问答，同步开源进展。\n\n阅读全文"))
        #expect(composer.previewHTML(for: DigestFixtures.subscriber).contains(">本周精选问答，同步开源进展。</p>"))
    }
}
