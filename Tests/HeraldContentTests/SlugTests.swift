import Foundation
import HeraldTestSupport
import Testing

@testable import HeraldContent

@Suite struct SlugTests {
    @Test(arguments: [
        ("2024-05-03-weekly.md", "weekly"),
        ("2024-05-03-社区周报.md", "社区周报"),
        ("about.md", "about"),
        ("2024-05-03.md", "2024-05-03"), // nothing left after the date: keep it
        ("2024-5-3-notes.md", "2024-5-3-notes"), // not a YYYY-MM-DD prefix
    ])
    func fileNameWithoutDatePrefix(_ name: String, _ slug: String) {
        #expect(Slug.fromFileName(name) == slug)
    }

    /// The old form's `permalink:` is a Hugo pattern now: `:slug` urlized, dates in the author's offset.
    @Test func oldPatternsMeanWhatTheyMeanInHugo() throws {
        let page = HugoPage.locate("posts/2024-01-01-x.md", languages: [], isBranch: { _ in true })
        let facts = PermalinkPattern.Facts(
            title: "T", slug: "社区 周报", date: utc(2023, 12, 31, 16, 30),
            utcOffset: 8 * 3600, page: page)
        let blog = HugoPermalink(
            base: "https://weekly.example.org/", languagePrefix: "",
            pattern: try PermalinkPattern("/blog/:slug/"), rules: HugoURLRules())
        #expect(blog.permalink(facts, url: nil) == "https://weekly.example.org/blog/%E7%A4%BE%E5%8C%BA-%E5%91%A8%E6%8A%A5/")
        // 2024-01-01 00:30 at +08:00 is 2023-12-31 in UTC; Hugo keeps a trailing slash after .html.
        let news = HugoPermalink(
            base: "https://e.org/news/", languagePrefix: "",
            pattern: try PermalinkPattern("/:year/:month/:day/:slug.html"), rules: HugoURLRules())
        #expect(news.permalink(facts, url: nil) == "https://e.org/news/2024/01/01/%E7%A4%BE%E5%8C%BA-%E5%91%A8%E6%8A%A5.html/")
    }
}
