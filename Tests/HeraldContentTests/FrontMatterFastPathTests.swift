import Foundation
import HeraldBase
import HeraldConfig
import HeraldTestSupport
import Testing
import Yams

@testable import HeraldContent

/// Differential tests of `SimpleFrontMatter`, the hand-written fast path in front of Yams:
/// on every input it must either decline (nil) or give exactly the values, lines and
/// post metadata that the Yams path gives.
@Suite struct FrontMatterFastPathTests {
    static let fixtures = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/content")
    static let example = Checkout.path("feeds/example")

    /// What the comparison found: the fast path took the document, or declined it.
    enum Outcome: Equatable { case taken, declined }

    /// Compares the two paths on one file's bytes; records an issue on any difference.
    @discardableResult
    func compare(_ bytes: [UInt8], path: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Outcome {
        let text = try SourceText.decode(Data(bytes), path: path)
        let frontMatter = try FrontMatter.split(text, path: path)

        // Both paths end to end: the same meta (or none) and the same problems.
        let publication = try Publication.load(from: Self.fixtures.appendingPathComponent("weekly").path)
        var fastReader = PostMetaReader(publication: publication, path: path)
        var yamsReader = PostMetaReader(publication: publication, path: path)
        let fastMeta = fastReader.read(frontMatter, fileName: "post.md")
        let yamsMeta = yamsReader.readWithYams(frontMatter, fileName: "post.md")
        #expect(fastMeta == yamsMeta, "\(path)", sourceLocation: sourceLocation)
        #expect(fastReader.problems == yamsReader.problems, "\(path)", sourceLocation: sourceLocation)
        #expect(fastReader.slugLine == yamsReader.slugLine, "\(path)", sourceLocation: sourceLocation)

        // And the raw values, every key (not only the ones Herald reads).
        guard let fast = SimpleFrontMatter.parse(frontMatter.yaml, lineOffset: frontMatter.openingLine) else {
            return .declined
        }
        do {
            let node = try Yams.compose(yaml: XMLSafeText.clean(String(frontMatter.yaml)), Resolver.basic, .default, .utf8)
            let yams = node.map { FrontMatterValues.entries($0, lineOffset: frontMatter.openingLine) }
            var isMapping = false
            if case .mapping? = node { isMapping = true }
            #expect(isMapping, "fast path took a document Yams does not read as a mapping: \(path)", sourceLocation: sourceLocation)
            #expect(fast == yams, "\(path)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("fast path took a document Yams refuses (\(error)): \(path)", sourceLocation: sourceLocation)
        }
        return .taken
    }

    /// `compare` on a post made of these front matter lines.
    @discardableResult
    func compare(frontMatter: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Outcome {
        try compare(Array(("---\n" + frontMatter + "\n---\n正文。\n").utf8), path: frontMatter, sourceLocation: sourceLocation)
    }

    func markdownFiles(under root: URL) -> [URL] {
        let files =
            FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "md" } ?? []
        return files.sorted { $0.path < $1.path }
    }

    @Test func examplePublicationAndFixturesAgree() throws {
        var outcomes: [Outcome] = []
        for root in [Self.example.appendingPathComponent("posts"), Self.fixtures] {
            let files = markdownFiles(under: root)
            #expect(!files.isEmpty, "no posts under \(root.path)")
            for file in files {
                let bytes = try [UInt8](Data(contentsOf: file))
                do { outcomes.append(try compare(bytes, path: file.path)) } catch {
                    // A file that does not even split is not front matter the fast path sees.
                    continue
                }
            }
        }
        // Not vacuous: the common shape takes the fast path.
        #expect(outcomes.contains(.taken))
    }

    @Test func benchmarkShapeTakesTheFastPath() throws {
        // One post of bench/gen_corpus.py, the shape every real weekly uses.
        #expect(
            try compare(
                frontMatter: """
                    title: "SOFA Weekly | SOFABoot 测试文档均衡、SOFAArk 社区会议回顾 #0"
                    author: "SOFA 团队"
                    authorlink: "https://github.com/sofastack"
                    description: "代理连接异步序列化节点队列 release 社区代理部署。"
                    categories: "SOFA Weekly"
                    tags: ["Layotto", "SOFARPC"]
                    date: 2000-01-07T15:08:00+08:00
                    cover: "https://img.example.org/cover/0.jpg"
                    """) == .taken)
    }

    static let tricky: [String] = [
        // Quotes and escapes.
        #"title: "He said \"hi\"""#,
        #"title: "back\\slash""#,
        #"title: "tab\there""#,
        #"title: "unicode \u00e9""#,
        #"title: "slash \/""#,
        #"title: 'it''s'"#,
        #"title: 'a "double" inside'"#,
        #"title: 'back\slash'"#,
        #"title: it's plain"#,
        #"title: He said "hi""#,
        #"title: "unclosed"#,
        #"title: 'unclosed"#,
        #"title: "a" "b""#,
        #"title: "a"b"#,
        #"title: """#,
        #"title: ''"#,
        #"title: "  padded  ""#,
        // `#` inside strings, after values, in plain scalars.
        #"title: "SOFA #12""#,
        #"title: 'SOFA #12'"#,
        "title: SOFA #12",
        "title: C#",
        "title: \"quoted\" # comment",
        "title: plain # comment",
        "# a comment line\ntitle: T",
        "title: T\n# trailing comment",
        "tags: [\"a\", \"b\"] # comment",
        "tags: [a#b]",
        // Colons.
        "title: a: b",
        "title: a:b",
        "title: ends with colon:",
        "authorlink: https://github.com/sofastack",
        "date: 2024-05-03T15:00:00+08:00",
        "date: 2024-05-03 15:00",
        "title: \"a: b\"",
        "title:no-space",
        "title : spaced key",
        "tags: [a: b]",
        "tags: [\"http://x\"]",
        "tags: [http://x]",
        // Empty values.
        "title:",
        "title:   ",
        "title: ~",
        "title: null",
        "title: Null",
        "title: \"~\"",
        "title: 'null'",
        "draft:",
        "tags:",
        "tags: []",
        "tags: [ ]",
        "tags: [\"\"]",
        "tags: [\"a\", \"\"]",
        "tags: [a, ]",
        "tags: [a,, b]",
        "tags: [,]",
        "tags: [~, null]",
        // Flow lists.
        "tags: [\"Layotto\"]",
        "tags: ['单引号', \"双引号\", 平文]",
        "tags: [a b, c  d ]",
        "tags: [ \"a\" , 'b' ]",
        "tags: [\"a\"",
        "tags: [\"a\",\n  \"b\"]",
        "tags: [[a], b]",
        "tags: [{a: b}]",
        "tags: [-a, b]",
        "tags: [a-b, ?c]",
        "tags: ['it''s', \"q\\\"q\"]",
        "tags: [\"a\"]x",
        "tags: {a: b}",
        // Booleans, numbers.
        "draft: true",
        "draft: True",
        "draft: yes",
        "draft: off",
        "draft: \"true\"",
        "draft: maybe",
        "draft: 1",
        "weight: 3",
        "weight: 3.5e2",
        "weight: -1",
        "weight: 0x1F",
        // Unicode.
        "title: 社区周报 · 第 12 期",
        "title: \"emoji 🎉\"",
        "title: 全角　空格",
        "title: nbsp\u{A0}here",
        "title: nel\u{85}here",
        "title: ls\u{2028}here",
        "title: bom\u{FEFF}here",
        "title: \"bell\u{7}\"",
        "title: del\u{7F}",
        "title: \"c1\u{9B}\"",
        "title: \u{FFFE}",
        // Trailing spaces, CRLF, tabs, blank lines.
        "title: T   \ndate: 2024-01-01   ",
        "title: \"T\"   ",
        "tags: [a]   ",
        "title: T\r\ndate: 2024-01-01\r",
        "title: T\n\n\ndate: 2024-01-01",
        "title: T\n   \ndate: 2024-01-01",
        "title:\tT",
        "\ttitle: T",
        "title: T\t",
        // Shapes left to Yams.
        "tags:\n- a\n- b",
        "tags:\n  - a\n  - b",
        "summary: |\n  line one\n  line two",
        "summary: >\n  folded\n  text",
        "title: &t T\ndescription: *t",
        "title: !!str 2024",
        "title: plain\n  continued",
        "author:\n  name: 某人",
        "title: T\ntitle: U",
        "title: T\nTitle: U",
        "- a\n- b",
        "just a scalar",
        "",
        "? complex\n: key",
        "\"quoted key\": v",
        "'quoted key': v",
        "title: `backtick`",
        "title: @at",
        "title: %percent",
        "title: - dash",
        "title: -dash",
        "title: ?q",
        "title: !bang",
        "title: {braces}",
        "title: [brackets] and more",
        "title: a, b, [c]",
        "title: a {b} c",
        "_under: x",
        "key-with-dash: x",
        "Key9: x",
        "9key: x",
        "slug: \"自定义\"\ntitle: T\ndate: 2024-01-01",
        String(repeating: "k", count: 200) + ": long key",
        "title: T\n...",
    ]

    @Test(arguments: tricky)
    func trickyCasesAgree(_ frontMatter: String) throws {
        // With a title and date around the case, so that PostMeta comparisons get as far as
        // a whole post; alone too, for the keys it sets itself.
        try compare(frontMatter: frontMatter)
        try compare(frontMatter: "draft: false\n" + frontMatter + "\nlastmod: 2024-02-01")
        try compare(frontMatter: "title: 基础\ndate: 2024-01-01T08:00:00+08:00\n" + frontMatter)
    }

    @Test func tricksThatMustDecline() throws {
        for yaml in [
            "title: plain # comment", "tags:\n- a", "title: &t T\ndescription: *t", "title: T\ntitle: U",
            "title: \"unicode \\u00e9\"", "title: nel\u{85}here", "summary: |\n  x", "tags: [a, ]",
            "title:\tT", "title: a: b",
        ] {
            let frontMatter = try FrontMatter.split("---\n" + yaml + "\n---\n", path: "p.md")
            #expect(SimpleFrontMatter.parse(frontMatter.yaml, lineOffset: 1) == nil, "\(yaml)")
        }
    }

    @Test func crlfPostsAreNormalizedBeforeTheFastPath() throws {
        let bytes = [0xEF, 0xBB, 0xBF] + Array("---\r\ntitle: \"标题\"\r\ndate: 2024-01-01\r\ntags: [a, b]\r\n---\r\n正文\r\n".utf8)
        #expect(try compare(bytes, path: "crlf.md") == .taken)
    }

    @Test func linesCountFromTheTopOfTheFile() throws {
        let frontMatter = try FrontMatter.split("\n\n---\ntitle: T\n\ndate: 2024-01-01\n---\n", path: "p.md")
        let entries = try #require(SimpleFrontMatter.parse(frontMatter.yaml, lineOffset: frontMatter.openingLine))
        #expect(entries["title"]?.line == 4)
        #expect(entries["date"]?.line == 6)
    }
}
