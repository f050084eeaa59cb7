import Foundation
import Testing

@testable import HeraldContent

/// resources/page/permalinks_test.go of Hugo 0.111: a page dated 2012-04-06 03:01:59 UTC,
/// titled "Spf13 Vim 3.0 Release and new website", slug "The Slug", file test-page/index.md
/// in section "blue", sections a/b/c.
@Suite struct PermalinkPatternTests {
    let facts = PermalinkPattern.Facts(
        title: "Spf13 Vim 3.0 Release and new website", slug: "The Slug",
        date: Date(timeIntervalSince1970: 1_333_681_319), utcOffset: 0,
        page: HugoPage(directory: "", baseName: "test-page", section: "blue", sections: ["a", "b", "c"]))

    @Test(arguments: [
        (":title", "spf13-vim-3.0-release-and-new-website"),
        ("/:year-:month-:title", "/2012-04-spf13-vim-3.0-release-and-new-website"),
        ("/:year/:yearday/:month/:monthname/:day/:weekday/:weekdayname/", "/2012/97/04/April/06/5/Friday/"),
        ("/:section/", "/blue/"),
        ("/:title/", "/spf13-vim-3.0-release-and-new-website/"),
        ("/:slug/", "/the-slug/"),
        ("/:slugorfilename/", "/the-slug/"),
        ("/:filename/", "/test-page/"),
        ("/:06-:1-:2-:Monday", "/12-4-6-Friday"),
        ("/:sections/", "/a/b/c/"),
        ("/:sections[last]/", "/c/"),
        ("/:sections[0]/:sections[last]/", "/a/c/"),
        ("/:sections[1:]/", "/b/c/"),
        // Hugo's table calls this one invalid, but 0.111 takes it as a layout: day, 01, 7.
        ("/:2017/", "/6047/"),
    ])
    func expands(_ pattern: String, _ expected: String) throws {
        #expect(try PermalinkPattern(pattern).expand(facts, rules: HugoURLRules()) == expected)
    }

    @Test(arguments: ["/blog/:fred", "/:year//:title", "/:TITLE", "/:2006-01-02x/:nope"])
    func refuses(_ pattern: String) {
        #expect(throws: PermalinkPattern.Invalid.self) { try PermalinkPattern(pattern) }
    }

    @Test func slugFallsBackToTheTitle() throws {
        var noSlug = facts
        noSlug.slug = nil
        #expect(try PermalinkPattern("/:slug/").expand(noSlug, rules: HugoURLRules()) == "/spf13-vim-3.0-release-and-new-website/")
        #expect(try PermalinkPattern("/:slugorfilename/").expand(noSlug, rules: HugoURLRules()) == "/test-page/")
    }

    @Test func datesAreInTheirOwnOffset() throws {
        // 2024-12-31T23:30:00-05:00 is 2025 in UTC, and still 2024 where it was written.
        var f = facts
        f.date = Date(timeIntervalSince1970: 1_735_705_800)
        f.utcOffset = -5 * 3600
        #expect(try PermalinkPattern("/:year/:month/:day/:yearday/").expand(f, rules: HugoURLRules()) == "/2024/12/31/366/")
    }
}
