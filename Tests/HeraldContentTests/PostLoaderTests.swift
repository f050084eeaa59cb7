import Foundation
import HeraldBase
import HeraldConfig
import HeraldTestSupport
import Testing

@testable import HeraldContent

/// The fixture publication under Fixtures/content/weekly, loaded end to end.
@Suite struct FixturePublicationTests {
    let loader: PostLoader
    let root: URL

    init() throws {
        root = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/content/weekly")
        loader = PostLoader(publication: try Publication.load(from: root.path), workingDirectory: root.path)
    }

    @Test func scanFindsPostsRecursivelyNewestFirst() {
        let scan = loader.scan()
        #expect(scan.problems == [])
        #expect(scan.metas.map(\.source) == ["posts/2099-01-01-future.md", "posts/2024/2024-05-03-社区周报.md", "posts/draft.md"])
    }

    @Test func frontMatterIsNormalized() throws {
        let meta = try #require(loader.scan().metas.first { $0.slug == "社区周报" })
        #expect(meta.title == "社区周报｜五月 会议预告")
        // No slug: Hugo's :slug is the title, urlized (the full-width bar dropped, the space a hyphen).
        #expect(
            meta.permalink.absoluteString
                == "https://weekly.example.org/blog/%E7%A4%BE%E5%8C%BA%E5%91%A8%E6%8A%A5%E4%BA%94%E6%9C%88-%E4%BC%9A%E8%AE%AE%E9%A2%84%E5%91%8A/"
        )
        #expect(meta.date == utc(2024, 5, 3, 7))
        #expect(meta.utcOffset == 8 * 3600)
        #expect(meta.updated == utc(2024, 5, 4, 1, 30))
        #expect(meta.author == Person(name: "活动组", uri: "https://github.com/example"))
        #expect(meta.categories == ["Community Weekly"])
        #expect(meta.tags == ["开源之夏", "Community Weekly", "社区 会议"])
        #expect(
            meta.cover?.absoluteString
                == "https://weekly.example.org/blog/%E7%A4%BE%E5%8C%BA%E5%91%A8%E6%8A%A5%E4%BA%94%E6%9C%88-%E4%BC%9A%E8%AE%AE%E9%A2%84%E5%91%8A/images/cover.png"
        )
        #expect(meta.description == nil)
        #expect(!meta.draft)
    }

    @Test func htmlHasExtensionsAndAbsoluteURLs() throws {
        let meta = try #require(loader.scan().metas.first { $0.slug == "社区周报" })
        let post = try #require(loader.render([meta]).posts.first)
        let base =
            "https://weekly.example.org/blog/%E7%A4%BE%E5%8C%BA%E5%91%A8%E6%8A%A5%E4%BA%94%E6%9C%88-%E4%BC%9A%E8%AE%AE%E9%A2%84%E5%91%8A/"
        #expect(post.html.contains(#"<img src="\#(base)images/map.png" alt="会场 地图" />"#))
        #expect(post.html.contains(#"<a href="https://weekly.example.org/events/may/">活动页</a>"#))
        #expect(post.html.contains(#"<a href="https://example.org/signup">https://example.org/signup</a>"#)) // autolink
        #expect(post.html.contains("<del>旧链接</del>"))
        #expect(post.html.contains("<table>"))
        #expect(post.html.contains(#"<a href="https://weekly.example.org/blog/archive/">往期</a>"#)) // raw HTML kept and rewritten
        #expect(!post.html.contains(#"src="images"#))
        #expect(post.text.contains("[image: 会场 地图]"))
        #expect(post.text.contains("活动页[1]"))
        #expect(post.text.contains("往期[2]"))
        #expect(post.text.hasSuffix("[1] https://weekly.example.org/events/may/\n[2] https://weekly.example.org/blog/archive/\n"))
        #expect(post.summary.hasPrefix("会议预告 会议地点见下图："))
    }

    @Test func draftsAndFuturePostsAreLoadedButUnpublished() {
        let metas = loader.scan().metas
        let now = utc(2025, 1, 1)
        #expect(metas.count == 3)
        #expect(metas.filter { $0.isPublished(at: now) }.map(\.slug) == ["社区周报"])
        let draft = metas.first { $0.slug == "draft" }
        #expect(draft?.draft == true)
        #expect(draft?.author == Person(name: "编辑组", uri: "https://weekly.example.org/about/"))
        #expect(draft?.summaryOverride == "这是作者写的摘要")
    }
}

@Suite struct PostLoaderTests {
    @Test func exampleIsClean() throws {
        let root = Checkout.path("feeds/example")
        let loader = PostLoader(publication: try Publication.load(from: root.path))
        let scan = loader.scan()
        #expect(scan.problems == [])
        #expect(scan.metas.count >= 10)
        let rendered = loader.render(scan.metas)
        #expect(rendered.problems == [])
        #expect(rendered.posts.count == scan.metas.count)
        #expect(scan.metas.allSatisfy { $0.isPublished(at: Date()) })
        // Every relative link in the example ends up absolute.
        for post in rendered.posts {
            #expect(!post.html.contains(#"src="images/"#) && !post.html.contains(#"href="/"#), "\(post.source)")
        }
    }

    @Test func summaryComesFromFrontMatterThenMoreThenTheBody() throws {
        let s = try ScratchPublication()
        try s.post("a.md", "title: A\ndate: 2024-01-03\ndescription: 描述", body: "正文")
        try s.post("b.md", "title: B\ndate: 2024-01-02", body: "导语**加粗**。\n\n<!--more-->\n\n后面的内容")
        try s.post("c.md", "title: C\ndate: 2024-01-01", body: String(repeating: "很长的正文", count: 50))
        let scan = s.scan()
        let posts = s.loader.render(scan.metas).posts
        #expect(posts.map(\.summary) == ["描述", "导语加粗。", String(repeating: "很长的正文", count: 24) + "…"])
    }

    @Test func writtenSummaryWinsOverDescriptionAndUpdatedFallsBackToDate() throws {
        let s = try ScratchPublication()
        try s.post("a.md", "title: A\ndate: 2024-03-01T10:00:00+09:00\ndescription: 描述\nsummary: 摘要", body: "正文")
        let post = try s.only()
        #expect(post.summary == "摘要")
        #expect(post.description == "描述")
        #expect(post.updated == post.date)
        #expect(post.date == utc(2024, 3, 1, 1))
        #expect(post.utcOffset == 9 * 3600)
    }

    @Test func renderReadsOnlyThePostsAskedFor() throws {
        let s = try ScratchPublication()
        for i in 1...5 { try s.post("p\(i).md", "title: 第\(i)篇\ndate: 2024-01-0\(i)", body: "旧的正文 \(i)\n") }
        let metas = s.scan().metas
        // After the scan, every file but one goes away and that one changes: render must
        // not need the others, and must read the file as it is now.
        for i in 1...4 { try FileManager.default.removeItem(at: s.dir.url.appendingPathComponent("posts/p\(i).md")) }
        try s.post("p5.md", "title: 第5篇\ndate: 2024-01-05", body: "新的正文\n")
        let rendered = s.loader.render(metas.filter { $0.slug == "p5" })
        #expect(rendered.problems == [])
        #expect(rendered.posts.map(\.html) == ["<p>新的正文</p>\n"])
        let gone = s.loader.render(metas.filter { $0.slug == "p1" })
        #expect(gone.posts.isEmpty)
        #expect(gone.problems.map(\.path) == ["posts/p1.md"])
    }

    @Test func titleCollapsesWhitespaceAndNeverKeepsLineBreaks() throws {
        let s = try ScratchPublication()
        try s.post("a.md", "title: \"第一行\\r\\n第二行\\t  第三\\u0007行 \"\ndate: 2024-01-01")
        #expect(try s.only().title == "第一行 第二行 第三行")
    }

    @Test func stringOrListForCategoriesAndTags() throws {
        let s = try ScratchPublication()
        try s.post("a.md", "title: T\ndate: 2024-01-01\ncategories: 周报\ntags:\n  - Community Weekly\n  - 开源之夏\n  - Community Weekly")
        let post = try s.only()
        #expect(post.categories == ["周报"])
        #expect(post.tags == ["Community Weekly", "开源之夏"])
    }

    @Test func slugFromFrontMatterWinsAndAuthorlinkAloneKeepsThePublicationName() throws {
        let s = try ScratchPublication()
        try s.post(
            "2024-01-01-file-name.md",
            "title: T\ndate: 2024-01-01\nslug: 自定义\nauthorlink: https://github.com/someone\nupdated: 2024-02-01T00:00:00Z")
        let post = try s.only()
        #expect(post.slug == "自定义")
        #expect(post.permalink.absoluteString == "https://weekly.example.org/blog/%E8%87%AA%E5%AE%9A%E4%B9%89/")
        #expect(post.author == Person(name: "编辑组", uri: "https://github.com/someone"))
        #expect(post.updated == utc(2024, 2, 1))
    }

    @Test func crlfAndBOMPostLoads() throws {
        let s = try ScratchPublication()
        try s.bytes("a.md", [0xEF, 0xBB, 0xBF] + Array("---\r\ntitle: 标题\r\ndate: 2024-01-01\r\n---\r\n> 引用<br/>\r\n> 第二行\r\n".utf8))
        let post = try s.only()
        #expect(post.title == "标题")
        #expect(post.text == "> 引用\n> 第二行\n")
        #expect(!post.html.contains("\r"))
    }

    @Test func controlCharactersAreRemovedFromFrontMatterAndBody() throws {
        let s = try ScratchPublication()
        // YAML escapes (\x01), raw control bytes in front matter (BEL) and in the body.
        try s.post(
            "a.md", "title: \"标\\x01题\"\ndate: 2024-01-01\ntags: [\"a\\x1Fb\"]\ndescription: 描\u{7}述",
            body: "正\u{8}文\u{FFFF}\n")
        let post = try s.only()
        #expect(post.title == "标题")
        #expect(post.description == "描述")
        #expect(post.tags == ["ab"])
        #expect(post.html == "<p>正文</p>\n")
    }

    @Test func unknownKeysAreIgnoredButWrongTypesAreProblems() throws {
        let s = try ScratchPublication()
        try s.post("a.md", "title: T\ndate: 2024-01-01\naliases: [/x/]\nweight: 3\nmenu: {main: {}}")
        try s.post("b.md", "title: [不是, 字符串]\ndate: 2024-01-01\ndraft: maybe\ntags: {a: b}\ncover: [x]")
        let scan = s.scan()
        #expect(scan.metas.map(\.source) == ["posts/a.md"])
        #expect(
            scan.problems.map(\.description) == [
                "posts/b.md:2: \"title\" must be a string, not a list",
                "posts/b.md:4: \"draft\" must be true or false",
                "posts/b.md:5: \"tags\" must be a string or a list of strings",
                "posts/b.md:6: \"cover\" must be a string, not a list",
            ])
    }

    @Test func everyBadInputIsReportedWithPathAndLine() throws {
        let s = try ScratchPublication()
        try s.post("ok.md", "title: 好的\ndate: 2024-01-01")
        try s.post("bad-yaml.md", "title: 标题\ntags: [a, b\ndate: 2024-01-01")
        try s.bytes("bad-utf8.md", Array("---\ntitle: caf".utf8) + [0xE9] + Array("\ndate: 2024-01-01\n---\n".utf8))
        try s.post("no-title.md", "date: 2024-01-01")
        try s.post("no-date.md", "title: 没有日期")
        try s.post("feb-30.md", "title: 不存在的日子\ndate: 2023-02-30")
        try s.dir.write("posts/unclosed.md", "---\ntitle: 没关上\ndate: 2024-01-01\n正文\n")
        try s.dir.write("posts/empty.md", "")
        try s.dir.write("posts/toml.md", "+++\ntitle = \"TOML\"\n+++\n")
        try s.post("dup-1.md", "title: 一\ndate: 2024-01-01\nslug: same")
        try s.post("dup-2.md", "title: 二\ndate: 2024-01-02\n\nslug: same")
        try s.dir.write("posts/notes.txt", "not a post")
        try s.dir.write("posts/_index.md", "---\ntitle: Hugo section page, no date\n---\n")
        try s.dir.write("posts/.#draft.md", "editor lock file")
        let scan = s.scan()
        #expect(scan.metas.map(\.source) == ["posts/ok.md"])
        #expect(
            scan.problems.map(\.description) == [
                "posts/bad-utf8.md:2: invalid UTF-8 at byte 14 (0xE9): save the file as UTF-8",
                "posts/bad-yaml.md:4: invalid YAML: did not find expected ',' or ']'",
                "posts/dup-1.md:4: slug \"same\" is also used by posts/dup-2.md: give one of them another slug",
                "posts/dup-2.md:5: slug \"same\" is also used by posts/dup-1.md: give one of them another slug",
                "posts/empty.md:1: file is empty: a post needs front matter (--- title: … date: … ---) and a body",
                "posts/feb-30.md:3: date \"2023-02-30\" is not a real day",
                "posts/no-date.md:1: missing date: add date: 2024-05-03T15:00:00+08:00 to the front matter",
                "posts/no-title.md:1: missing title: add title: \"…\" to the front matter",
                "posts/toml.md:1: missing date: add date: 2024-05-03T15:00:00+08:00 to the front matter",
                "posts/unclosed.md:1: front matter is never closed: add a --- line after it",
            ])
    }

    @Test func fiveMegabytePostIsAProblemNotACrash() throws {
        let s = try ScratchPublication()
        try s.post("big.md", "title: 大\ndate: 2024-01-01", body: String(repeating: "一行很长的正文内容。\n", count: 5 << 20 / 31))
        try s.post("small.md", "title: 小\ndate: 2024-01-01")
        let scan = s.scan()
        #expect(scan.metas.map(\.slug) == ["small"])
        #expect(scan.problems.count == 1)
        #expect(scan.problems.first?.path == "posts/big.md")
        #expect(scan.problems.first?.message.contains("larger than the 4 MB limit") == true)
    }

    // Speed of large posts is measured in bench/, not here; this checks a 3 MB post
    // is rendered whole: every link made absolute, every reference listed in the text.
    @Test func largeButAllowedPostRendersWhole() throws {
        let s = try ScratchPublication()
        let paragraph = "社区会议回顾，[链接](/a/) 与 **加粗** 文本。\n\n"
        let count = (3 << 20) / 80
        try s.post("big.md", "title: 大\ndate: 2024-01-01", body: String(repeating: paragraph, count: count))
        let post = try s.only()
        #expect(post.html.components(separatedBy: "<strong>加粗</strong>").count - 1 == count)
        #expect(!post.html.contains("href=\"/a/\""))
        #expect(post.html.components(separatedBy: "<a href=\"http").count - 1 == count)
        #expect(post.text.contains("[\(count)]"))
    }

    @Test func webPartsSkipOnlyThePlainText() throws {
        let s = try ScratchPublication()
        try s.post("a.md", "title: 网页\ndate: 2024-01-01", body: "第一段 [链接](/x/)。\n\n第二段。\n")
        let metas = s.scan().metas
        let full = s.loader.render(metas).posts[0]
        let web = s.loader.render(metas, parts: .web).posts[0]
        #expect(!full.text.isEmpty && web.text.isEmpty)
        #expect(web.html == full.html && web.summary == full.summary && web.meta == full.meta)
    }

    @Test func renderKeepsTheOrderAskedFor() throws {
        let s = try ScratchPublication()
        for i in 0..<20 { try s.post("p\(i).md", "title: 第\(i)篇\ndate: 2024-01-\(String(format: "%02d", i + 1))") }
        let metas = s.scan().metas
        #expect(metas.map(\.slug) == (0..<20).reversed().map { "p\($0)" })
        let shuffled = [metas[3], metas[17], metas[0], metas[9]]
        #expect(s.loader.render(shuffled).posts.map(\.slug) == shuffled.map(\.slug))
    }

    @Test func equalDatesAreOrderedBySourcePath() throws {
        let s = try ScratchPublication()
        for name in ["c", "a", "b"] { try s.post("\(name).md", "title: \(name)\ndate: 2024-01-01") }
        #expect(s.scan().metas.map(\.source) == ["posts/a.md", "posts/b.md", "posts/c.md"])
    }

    @Test func missingPostsFolderIsAProblem() throws {
        let s = try ScratchPublication()
        try FileManager.default.removeItem(at: s.dir.url.appendingPathComponent("posts"))
        #expect(s.scan().problems.map(\.message) == ["posts folder does not exist: create it or set posts: in \(s.dir.path)/herald.yml"])
    }
}
