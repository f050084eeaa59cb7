import Foundation
import Testing

@testable import HeraldFeeds

@Suite struct FeedSlugTests {
    static let awkward = [
        "SOFA Weekly", "开源之夏", "社区会议", "C++", "C#", "c", "  spaced  out  ", "Ünïcödé Straße",
        "a/b?c#d%e", "..", "", "🚀 Launch", "ＦＵＬＬ　ＷＩＤＴＨ", "emoji 👩‍👩‍👧", "tab\tand\nnewline",
        String(repeating: "长", count: 200),
    ]

    @Test(arguments: awkward) func slugIsLowercasedPathSafeAndNonEmpty(name: String) {
        let slug = FeedSlug.base(name)
        #expect(!slug.isEmpty)
        #expect(slug == slug.lowercased())
        #expect(!slug.contains(where: { "/?#%\\ .\t\n".contains($0) }))
        #expect(!slug.hasPrefix("-") && !slug.hasSuffix("-"))
        #expect(slug.utf8.count < 255)
        // The URL form is plain ASCII and decodes back to the slug.
        let segment = FeedSlug.urlSegment(slug)
        #expect(segment.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "%") })
        #expect(segment.removingPercentEncoding == slug)
    }

    @Test func keepsChineseAndJoinsWords() {
        #expect(FeedSlug.base("开源之夏") == "开源之夏")
        #expect(FeedSlug.base("SOFA Weekly") == "sofa-weekly")
        #expect(FeedSlug.base("  spaced  out  ") == "spaced-out")
    }

    @Test func collidingNamesGetDistinctStableSlugs() {
        let names = ["C++", "C#", "c", "SOFA Weekly", "sofa weekly", "Sofa-Weekly"]
        let slugs = FeedSlug.assign(names)
        #expect(Set(slugs.values).count == names.count)
        // The name used first keeps the plain slug; later ones are told apart by a suffix.
        #expect(slugs["C++"] == "c")
        #expect(slugs["SOFA Weekly"] == "sofa-weekly")
        #expect(slugs["C#"]!.hasPrefix("c-"))
        // Same input, same answer: nothing depends on hashing seeds or dictionary order.
        #expect(FeedSlug.assign(names) == slugs)
        // A newcomer never takes an existing name's slug.
        let more = FeedSlug.assign(names + ["C"])
        for name in names { #expect(more[name] == slugs[name]) }
        #expect(Set(more.values).count == names.count + 1)
    }

    @Test func manyCollisionsStayDistinct() {
        let names = (0..<500).map { "Tag" + String(repeating: " ", count: $0 % 7 + 1) + "x" + String(repeating: "!", count: $0) }
        let slugs = FeedSlug.assign(names)
        #expect(Set(slugs.values).count == names.count)
    }
}
