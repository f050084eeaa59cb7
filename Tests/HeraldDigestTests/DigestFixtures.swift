import Foundation
import HeraldConfig
import HeraldContent
import HeraldDigest
import HeraldMail
import HeraldState
import HeraldTestSupport

/// Publications and posts built in code, shaped like the real ones (Chinese
/// titles, images, links), for digest tests that do not need the loader.
enum DigestFixtures {
    /// The repository's `templates/` folder.
    static let templates: URL = Checkout.path("templates")

    static let secret = try! UnsubscribeSecret("test-secret-0123456789abcdef")
    /// 2025-03-14 12:00 +08:00.
    static let date = Date(timeIntervalSince1970: 1_741_924_800)

    static let yaml = """
        title: 社区周报
        description: 每周精选
        base_url: https://weekly.example.org/
        language: zh-CN
        timezone: Asia/Shanghai
        digest:
          content: full
          from: "社区周报 <weekly@example.org>"
          reply_to: editors@example.org
          list_id: weekly.example.org
          unsubscribe_url: https://weekly.example.org/unsubscribe
          unsubscribe_mailto: unsubscribe@example.org
          subject: "{{publication.title}} 第 {{digest.number}} 期"

        """

    static func publication(_ dir: TempDir, yaml: String = yaml) throws -> Publication {
        try dir.write("herald.yml", yaml)
        return try Publication.load(from: dir.path)
    }

    static func post(
        title: String = "SOFA 周报｜社区会议预告、本周贡献", slug: String = "weekly-1",
        html: String = "<p>本周<strong>精选</strong>问答。</p>\n<p><img src=\"/img/a.png\" alt=\"图片\"></p>",
        text: String = "本周精选问答。\n\n[1] https://weekly.example.org/img/a.png",
        summary: String = "本周精选问答，同步开源进展。",
        date: Date = Date(timeIntervalSince1970: 1_741_838_400), tags: [String] = ["周报"],
        cover: URL? = URL(string: "https://cdn.example.org/cover.png")
    ) -> Post {
        let meta = PostMeta(
            source: "posts/\(slug).md", title: title, slug: slug,
            permalink: URL(string: "https://weekly.example.org/posts/\(slug)/")!, date: date, utcOffset: 8 * 3600,
            updated: date, author: Person(name: "SOFAStack"), description: nil, summaryOverride: nil,
            categories: [], tags: tags, cover: cover, draft: false)
        return Post(meta: meta, html: html, text: text, summary: summary)
    }

    static let subscriber = Subscriber(
        id: 1, address: "reader@example.com", name: "小明",
        unsubscribeToken: "0123456789abcdef0123456789abcdef")

    static func composer(
        _ publication: Publication, posts: [Post]? = nil, number: Int = 3,
        secret: UnsubscribeSecret = secret
    ) throws(DigestError) -> DigestComposer {
        try DigestComposer(
            publication: publication, posts: posts ?? [post()], number: number, date: date,
            secret: secret, templatesDirectory: templates)
    }
}
