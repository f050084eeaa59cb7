import Foundation
import HeraldBase
import HeraldConfig
import HeraldContent
import HeraldFeeds
import HeraldTestSupport

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Posts held in memory, standing in for the loader. `failing` names sources whose
/// rendering fails, as a post that vanished between scan and render would.
struct MemorySource: PostSource {
    var posts: [Post]
    var scanProblems: [SourceProblem] = []
    var failing: Set<String> = []

    func scanMetas() -> PostScan {
        PostScan(metas: posts.map(\.meta), problems: scanProblems)
    }

    func renderForFeeds(_ metas: [PostMeta]) -> (posts: [Post], problems: [SourceProblem]) {
        let bySource = Dictionary(uniqueKeysWithValues: posts.map { ($0.source, $0) })
        var out: [Post] = []
        var problems: [SourceProblem] = []
        for meta in metas {
            if failing.contains(meta.source) {
                problems.append(SourceProblem(path: meta.source, line: 1, message: "cannot render"))
            } else if let post = bySource[meta.source] {
                out.append(post)
            }
        }
        return (out, problems)
    }
}

enum Fixture {
    static let base = URL(string: "https://weekly.example.org/")!

    /// A publication folder with `herald.yml` (plus `extra` YAML lines) and a posts folder.
    static func publication(in dir: TempDir, _ extra: String = "") throws -> Publication {
        try dir.write(
            "pub/herald.yml",
            """
            title: "SOFA 周报"
            description: "每周精选 & news"
            base_url: \(base.absoluteString)
            language: zh-CN
            timezone: Asia/Shanghai
            author:
              name: SOFA 团队
              uri: https://github.com/sofastack
            \(extra)
            """)
        try dir.write("pub/posts/.keep", "")
        return try Publication.load(from: dir.url.appendingPathComponent("pub").path)
    }

    /// Post `n`, dated `n` days after 2023-01-01 08:00 (+08:00).
    static func post(
        _ n: Int, title: String? = nil, tags: [String] = ["SOFA Weekly"],
        categories: [String] = ["周报"], html: String? = nil, summary: String? = nil,
        draft: Bool = false, date: Date? = nil, cover: URL? = nil,
        author: Person = Person(name: "张三", uri: "https://github.com/zhangsan")
    ) -> Post {
        let date = date ?? Date(timeIntervalSince1970: 1_672_531_200 + Double(n) * 86_400)
        let slug = "weekly-\(n)"
        let meta = PostMeta(
            source: "posts/\(slug).md", title: title ?? "SOFA Weekly | 第 \(n) 期：开源之夏", slug: slug,
            permalink: base.appendingPathComponent("posts/\(slug)/"), date: date, utcOffset: 8 * 3600,
            updated: date.addingTimeInterval(3600), author: author, description: nil, summaryOverride: nil,
            categories: categories, tags: tags, cover: cover, draft: draft)
        return Post(
            meta: meta,
            html: html ?? "<p>第 \(n) 期 <a href=\"https://weekly.example.org/posts/\(slug)/a.png\">图</a></p>\n",
            text: "第 \(n) 期", summary: summary ?? "第 \(n) 期摘要")
    }

    /// The state folder the builds into `out` keep their record in: beside it, never inside.
    static func state(for out: URL) -> URL {
        out.deletingLastPathComponent().appendingPathComponent(out.lastPathComponent + "-state")
    }

    static func build(
        _ pub: Publication, _ posts: [Post], out: URL, skipInvalid: Bool = false,
        now: Date = Date(timeIntervalSince1970: 2_000_000_000),
        failing: Set<String> = [], scanProblems: [SourceProblem] = []
    ) throws -> BuildReport {
        let source = MemorySource(posts: posts, scanProblems: scanProblems, failing: failing)
        return try FeedBuilder(
            publication: pub, source: source,
            options: .init(
                output: out, stateDirectory: state(for: out), skipInvalid: skipInvalid,
                now: now)
        ).build()
    }
}

/// A written feed parsed back, for asserting on elements rather than on bytes.
struct ParsedFeed {
    let document: XMLDocument

    init(_ url: URL) throws {
        document = try XMLDocument(contentsOf: url, options: [])
    }

    func strings(_ xpath: String) throws -> [String] {
        try document.nodes(forXPath: xpath).map { $0.stringValue ?? "" }
    }

    func count(_ xpath: String) throws -> Int { try document.nodes(forXPath: xpath).count }
}
