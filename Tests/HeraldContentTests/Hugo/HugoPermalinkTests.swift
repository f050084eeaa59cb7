import Foundation
import Testing

@testable import HeraldContent

/// Hugo's target paths for regular pages (resources/page/page_paths.go), as Debian's hugo
/// printed them for the fixture sites.
@Suite struct HugoPermalinkTests {
    func facts(
        _ relative: String, title: String = "T", slug: String? = nil, languages: Set<String> = [],
        branches: Set<String> = []
    ) -> PermalinkPattern.Facts {
        PermalinkPattern.Facts(
            title: title, slug: slug, date: Date(timeIntervalSince1970: 1_700_000_000), utcOffset: 0,
            page: HugoPage.locate(relative, languages: languages, isBranch: branches.contains))
    }

    let plain = HugoPermalink(base: "https://example.org/site/", languagePrefix: "", pattern: nil, rules: HugoURLRules())

    @Test func pathsFollowTheContentFolders() {
        #expect(plain.permalink(facts("blog/Meetup 2024/index.md"), url: nil) == "https://example.org/site/blog/meetup-2024/")
        #expect(
            plain.permalink(facts("blog/2023/年终总结.md"), url: nil)
                == "https://example.org/site/blog/2023/%E5%B9%B4%E7%BB%88%E6%80%BB%E7%BB%93/")
        #expect(plain.permalink(facts("blog/2024-05-03-weekly.md"), url: nil) == "https://example.org/site/blog/2024-05-03-weekly/")
        #expect(
            plain.permalink(facts("plain/sub/x.md", slug: "Über Slug + more"), url: nil)
                == "https://example.org/site/plain/sub/%C3%BCber-slug-+-more/")
    }

    @Test func urlIsTakenAsWritten() {
        #expect(plain.permalink(facts("blog/u.md"), url: "/Custom Path/ÄÖ/") == "https://example.org/site/Custom%20Path/%C3%84%C3%96/")
        #expect(plain.permalink(facts("blog/u.md"), url: "/Custom/Path.html") == "https://example.org/site/Custom/Path.html")
        #expect(plain.permalink(facts("blog/u.md"), url: "rel/path") == "https://example.org/site/rel/path/")
    }

    @Test func languagesArePrefixedAndTakenFromFileNames() {
        let fr = HugoPermalink(base: "https://docs.example.net/", languagePrefix: "fr", pattern: nil, rules: HugoURLRules())
        let langs: Set<String> = ["en", "fr"]
        #expect(fr.permalink(facts("posts/hello.fr.md", languages: langs), url: nil) == "https://docs.example.net/fr/posts/hello/")
        #expect(fr.permalink(facts("posts/bundle/index.fr.md", languages: langs), url: nil) == "https://docs.example.net/fr/posts/bundle/")
        // An absolute url is not prefixed; a relative one is.
        #expect(
            fr.permalink(facts("events/m.fr.md", languages: langs), url: "/fr/rencontres/printemps/")
                == "https://docs.example.net/fr/rencontres/printemps/")
        #expect(fr.permalink(facts("events/m.fr.md", languages: langs), url: "x/") == "https://docs.example.net/fr/x/")
    }

    @Test func sectionsAreTheFoldersWithAnIndex() {
        #expect(facts("docs/intro.md").page.sections == ["docs", ""])
        #expect(facts("docs/intro.md", branches: ["docs"]).page.sections == ["docs"])
        #expect(facts("notes/rust/async/pinning.md", branches: ["notes", "notes/rust"]).page.sections == ["notes", "rust"])
        #expect(facts("notes/rust/lifetimes/index.md", branches: ["notes/rust"]).page.sections == ["notes", "rust"])
    }

    @Test func goPathClean() {
        #expect(HugoPermalink.join(["/", "a//b/../c/"]) == "/a/c/")
        #expect(HugoPermalink.clean("/a/./b/..") == "/a")
        #expect(HugoPermalink.clean("") == ".")
    }
}
