import Foundation
import Testing
@testable import HeraldContent

@Suite struct SlugTests {
    @Test(arguments: [
        ("2024-05-03-weekly.md", "weekly"),
        ("2024-05-03-社区周报.md", "社区周报"),
        ("about.md", "about"),
        ("2024-05-03.md", "2024-05-03"),      // nothing left after the date: keep it
        ("2024-5-3-notes.md", "2024-5-3-notes"), // not a YYYY-MM-DD prefix
    ])
    func fileNameWithoutDatePrefix(_ name: String, _ slug: String) {
        #expect(Slug.fromFileName(name) == slug)
    }

    @Test func chineseSlugIsPercentEncodedInThePermalink() {
        let url = Slug.permalink(base: URL(string: "https://weekly.example.org/")!, pattern: "/blog/:slug/",
                                 slug: "社区 周报", date: utc(2024, 5, 3), utcOffset: 0)
        #expect(url?.absoluteString == "https://weekly.example.org/blog/%E7%A4%BE%E5%8C%BA%20%E5%91%A8%E6%8A%A5/")
    }

    @Test func datePartsComeFromTheAuthorsOffset() {
        // 2024-01-01 00:30 at +08:00 is 2023-12-31 in UTC.
        let url = Slug.permalink(base: URL(string: "https://e.org/news/")!, pattern: "/:year/:month/:day/:slug.html",
                                 slug: "new-year", date: utc(2023, 12, 31, 16, 30), utcOffset: 8 * 3600)
        #expect(url?.absoluteString == "https://e.org/news/2024/01/01/new-year.html")
    }

    /// ASCII patterns are filled in as bytes; they must give what the character loop does.
    @Test(arguments: ["/posts/:slug/", "/:year/:month/:day/:slug.html", "//a b/:slug:slug/:dayx/:yea/:month",
                      "/p/:slug/?q=:year#:day", "/:month\r\n:slug/"])
    func bytePathMatchesTheCharacterLoop(_ pattern: String) {
        let base = URL(string: "https://e.org/news/")!
        for slug in ["new-year", "社区 周报", "a%b", "é\u{301}"] {
            for (date, offset) in [(utc(2023, 12, 31, 16, 30), 8 * 3600), (utc(812, 2, 9), 0)] {
                let fast = Slug.permalink(base: base, pattern: pattern, slug: slug, date: date, utcOffset: offset)
                let slow = Slug.characterPermalink(base: base, pattern: pattern, slug: slug,
                                                   day: PostDate.civil(date, utcOffset: offset))
                #expect(fast?.absoluteString == slow?.absoluteString, "\(pattern) \(slug)")
                #expect((fast == nil) == (slow == nil))
            }
        }
    }
}
