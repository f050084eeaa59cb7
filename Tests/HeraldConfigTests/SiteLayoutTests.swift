import Foundation
import HeraldBase
import HeraldConfig
import HeraldTestSupport
import Testing

/// A publication's home on its site: `base_url` is the site's root, `path:` (or a Hugo
/// section's path) where its own files and routes are, and two publications of one site
/// that would write the same file are found and named.
@Suite struct SiteLayoutTests {
    /// A two-language Hugo site: zh the default (no prefix), en under /en/.
    private func hugoSite(_ dir: TempDir, base: String = "https://site.example/") throws {
        try dir.write(
            "site/hugo.toml",
            """
            baseURL = "\(base)"
            title = "Site"
            defaultContentLanguage = "zh"
            timeZone = "Asia/Shanghai"
            [languages.zh]
            contentDir = "content/zh"
            [languages.en]
            contentDir = "content/en"
            """)
        try dir.write("site/content/zh/blog/a.md", "---\ntitle: A\ndate: 2024-01-01\n---\n")
        try dir.write("site/content/en/blog/a.md", "---\ntitle: A\ndate: 2024-01-01\n---\n")
    }

    private func publication(_ dir: TempDir, _ name: String, _ yaml: String) throws -> Publication {
        try dir.write("feeds/\(name)/herald.yml", yaml)
        return try Publication.load(from: dir.url.appendingPathComponent("feeds/\(name)").path)
    }

    @Test func plainPublicationKeepsItsAddressesAtTheRoot() throws {
        let dir = try TempDir()
        let pub = try publication(dir, "weekly", "title: W\nbase_url: https://e.org/news\n")
        #expect(pub.path == "/")
        let site = SiteLayout(publication: pub, root: URL(fileURLWithPath: "/srv/www"))
        #expect(site.home == "https://e.org/news/")
        #expect(site.mountPath == "/news/")
        #expect(site.output.path == "/srv/www")
        #expect(site.url(.subscribe) == "https://e.org/news/subscribe")
        #expect(site.hugoFeeds == nil)
        #expect(SiteLayout(publication: pub).output.path.hasSuffix("public/weekly"))
    }

    @Test func pathPutsTheFilesAndRoutesBelowTheSiteRoot() throws {
        let dir = try TempDir()
        let pub = try publication(dir, "w", "title: W\nbase_url: https://e.org/\npath: news/weekly\n")
        #expect(pub.path == "/news/weekly/")
        let site = SiteLayout(publication: pub, root: URL(fileURLWithPath: "/srv/www"))
        #expect(site.home == "https://e.org/news/weekly/")
        #expect(site.mountPath == "/news/weekly/")
        #expect(site.folder == "news/weekly/")
        #expect(site.output.path == "/srv/www/news/weekly")
        #expect(site.path(.confirm) == "/news/weekly/confirm")
        #expect(site.url(ofFile: SiteLayout.Name.atom) == "https://e.org/news/weekly/atom.xml")
    }

    @Test func aPathInAnyScriptIsPercentEncodedInURLsAndKeptInFolders() throws {
        let dir = try TempDir()
        let pub = try publication(dir, "w", "title: W\nbase_url: https://e.org/\npath: /博客/\n")
        let site = SiteLayout(publication: pub, root: URL(fileURLWithPath: "/srv/www"))
        #expect(site.home == "https://e.org/%E5%8D%9A%E5%AE%A2/")
        #expect(site.output.path == "/srv/www/博客")
        #expect(site.url(.subscribe) == "https://e.org/%E5%8D%9A%E5%AE%A2/subscribe")
    }

    @Test func hostilePathsAreConfigErrorsAtTheirLine() throws {
        let dir = try TempDir()
        for bad in [
            "/../etc/", "/blog/../..", "a//b", "/./x/", "https://other.example/x/", "//other.example/", "/a%2e%2e/", "/a?b",
            "\"/a\\u0000b/\"", "/a b/",
        ] {
            do {
                _ = try publication(dir, "w", "title: W\nbase_url: https://e.org/\npath: \(bad)\n")
                Issue.record("\(bad) was taken")
            } catch let error as SourceProblems {
                #expect(error.exitStatus == .config, "\(bad)")
                #expect(error.problems.map(\.line) == [3], "\(bad)")
                #expect(error.description.contains("path"), "\(bad)")
            }
        }
    }

    @Test func hugoPublicationsLiveAtTheirSectionsPathInTheirLanguage() throws {
        let dir = try TempDir()
        try hugoSite(dir)
        let zh = try publication(dir, "blog-zh", "hugo: ../../site\nsection: blog\nlanguage: zh\n")
        let en = try publication(dir, "blog-en", "hugo: ../../site\nsection: blog\nlanguage: en\n")
        #expect(zh.baseURL.absoluteString == "https://site.example/")
        #expect(en.baseURL.absoluteString == "https://site.example/")
        #expect((zh.path, en.path) == ("/blog/", "/en/blog/"))
        let root = URL(fileURLWithPath: "/srv/public")
        let zhSite = SiteLayout(publication: zh, root: root)
        let enSite = SiteLayout(publication: en, root: root)
        #expect(enSite.home == "https://site.example/en/blog/")
        #expect(enSite.output.path == "/srv/public/en/blog")
        #expect(enSite.hugoFeeds?.sectionFeed == "en/blog/index.xml")
        #expect(enSite.hugoFeeds?.termFolder(SiteLayout.Name.tags, slug: "swift") == "en/tags/swift/")
        #expect(zhSite.hugoFeeds?.termURL(SiteLayout.Name.tags, urlSegment: "swift") == "https://site.example/tags/swift/")
        #expect(SiteClaims.conflicts([SiteClaims(publication: zh, layout: zhSite), SiteClaims(publication: en, layout: enSite)]).isEmpty)
    }

    /// What Hugo does not publish (`disableKinds`) has no readers to keep: no index.xml there.
    @Test func kindsTheSiteDisablesGetNoIndexXML() throws {
        let dir = try TempDir()
        try dir.write("site/hugo.toml", "baseURL = \"https://site.example/\"\ntitle = \"S\"\ndisableKinds = [\"taxonomy\", \"Term\"]\n")
        try dir.write("site/content/blog/a.md", "---\ntitle: A\ndate: 2024-01-01\n---\n")
        let pub = try publication(dir, "blog", "hugo: ../../site\nsection: blog\n")
        let feeds = try #require(SiteLayout(publication: pub).hugoFeeds)
        #expect(feeds.hasSectionFeed && !feeds.hasTermFeeds && feeds.taxonomyRoots.isEmpty)
        try dir.write("site/hugo.toml", "baseURL = \"https://site.example/\"\ntitle = \"S\"\ndisableKinds = [\"RSS\"]\n")
        let none = try #require(SiteLayout(publication: try publication(dir, "blog2", "hugo: ../../site\nsection: blog\n")).hugoFeeds)
        #expect(!none.hasSectionFeed && !none.hasTermFeeds)
    }

    @Test func aBaseURLEndingInTheLanguagePrefixIsRefused() throws {
        let dir = try TempDir()
        try hugoSite(dir)
        do {
            _ = try publication(dir, "blog-en", "hugo: ../../site\nsection: blog\nlanguage: en\nbase_url: https://site.example/en/\n")
            Issue.record("taken")
        } catch let error as SourceProblems {
            #expect(error.problems.map(\.line) == [4])
            #expect(error.description.contains("https://site.example/en/en/"))
            #expect(error.description.contains("base_url: https://site.example/"))
        }
    }

    @Test func twoPublicationsOnOnePathAreNamedTogether() throws {
        let dir = try TempDir()
        try hugoSite(dir)
        let a = try publication(dir, "a", "title: A\nbase_url: https://site.example/\n")
        let b = try publication(dir, "b", "title: B\nbase_url: https://site.example\n")
        let c = try publication(dir, "c", "title: C\nbase_url: https://other.example/\n")
        func claims(_ p: Publication, root: String? = nil) -> SiteClaims {
            SiteClaims(publication: p, layout: SiteLayout(publication: p, root: root.map { URL(fileURLWithPath: $0) }))
        }
        let found = SiteClaims.conflicts([claims(a), claims(b), claims(c)])
        #expect(found.count == 1)
        #expect(found.first?.first == "a" && found.first?.second == "b")
        #expect(found.first?.description.contains("/atom.xml") == true)
        // Another address, but the same folder on disk: the files still collide.
        #expect(SiteClaims.conflicts([claims(a, root: "/srv/x"), claims(c, root: "/srv/x")]).count == 1)
        #expect(SiteClaims.conflicts([claims(a, root: "/srv/x"), claims(c, root: "/srv/y")]).isEmpty)
        // Nested publications are fine while no file is shared...
        let news = try publication(dir, "news", "title: N\nbase_url: https://site.example/\npath: /news/\n")
        #expect(SiteClaims.conflicts([claims(a), claims(news)]).isEmpty)
        // ...but not inside another's tag folders or archive.
        let inTags = try publication(dir, "t", "title: T\nbase_url: https://site.example/\npath: /archive/x/\n")
        #expect(SiteClaims.conflicts([claims(a), claims(inTags)]).count == 1)
        // Two sections of one language both write Hugo's term feeds.
        try dir.write("site/content/zh/news/b.md", "---\ntitle: B\ndate: 2024-01-01\n---\n")
        let blog = try publication(dir, "blog", "hugo: ../../site\nsection: blog\n")
        let hugoNews = try publication(dir, "hnews", "hugo: ../../site\nsection: news\n")
        let terms = SiteClaims.conflicts([claims(blog), claims(hugoNews)])
        #expect(terms.count == 1 && terms[0].description.contains("hugo_index: false"))
        let off = try publication(dir, "hnews2", "hugo: ../../site\nsection: news\nfeeds:\n  hugo_index: false\n")
        #expect(SiteClaims.conflicts([claims(blog), claims(off)]).isEmpty)
    }
}
