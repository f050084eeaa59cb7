import Foundation
import HeraldConfig
import HeraldContent
import HeraldTestSupport
import Testing

@testable import HeraldFeeds

/// Tag and category feeds of a Hugo section sit in the folders of Hugo's own term pages.
@Suite struct HugoTermsTests {
    static func publication(_ dir: TempDir, config: String = "") throws -> Publication {
        try dir.write("site/hugo.toml", "baseURL = \"https://site.example/\"\ntitle = \"Site\"\n\(config)")
        try dir.write("site/content/blog/.keep", "")
        // At the site's root and without Hugo's index.xml: the term folders alone, as plans name them.
        try dir.write("pub/herald.yml", "hugo: ../site\nsection: blog\npath: /\nfeeds:\n  hugo_index: false\n")
        return try Publication.load(from: dir.url.appendingPathComponent("pub").path)
    }

    @Test func namesThatHugoMakesOneTermShareOneFeedTitledByTheFirstPage() throws {
        let dir = try TempDir()
        let publication = try Self.publication(dir)
        // Newest first; sources posts/weekly-N.md, so weekly-1 is first in Hugo's path order.
        let published = [
            Fixture.post(3, tags: ["SERVICE MESH", "开源 之夏"], categories: ["Cloud Native"]),
            Fixture.post(2, tags: ["service-mesh", "Go", "go"], categories: ["cloud-native"]),
            Fixture.post(1, tags: ["Service mesh", "C++", "C#", "!!!"], categories: []),
        ].map(\.meta)
        let planner = FeedPlanner(publication: publication, published: published)
        let byFolder = Dictionary(uniqueKeysWithValues: planner.plans.map { ($0.directory, $0) })
        let mesh = try #require(byFolder["tags/service-mesh"])
        #expect(mesh.title == "Service mesh · Site")
        #expect(mesh.entries.map(\.slug) == ["weekly-3", "weekly-2", "weekly-1"])
        #expect(mesh.url.absoluteString == "https://site.example/tags/service-mesh/")
        // One page naming a term twice is in its feed once; the later name is the title.
        let go = try #require(byFolder["tags/go"])
        #expect(go.entries.map(\.slug) == ["weekly-2"])
        #expect(go.title == "go · Site")
        #expect(
            try #require(byFolder["tags/开源-之夏"]).url.absoluteString == "https://site.example/tags/%E5%BC%80%E6%BA%90-%E4%B9%8B%E5%A4%8F/")
        #expect(try #require(byFolder["tags/c#"]).url.absoluteString == "https://site.example/tags/c%23/")
        #expect(try #require(byFolder["tags/c++"]).url.absoluteString == "https://site.example/tags/c++/")
        #expect(try #require(byFolder["categories/cloud-native"]).title == "cloud-native · Site")
        #expect(try #require(byFolder["tags/c++"]).title == "C++ · Site")
        #expect(
            Set(planner.plans.map(\.directory))
                == ["", "tags/service-mesh", "tags/go", "tags/开源-之夏", "tags/c#", "tags/c++", "categories/cloud-native"])
        #expect(
            planner.notes == [
                "warning: posts/weekly-1.md: tags \"!!!\" gets no feed: it has no letter or digit, so Hugo makes no page for it"
            ])
    }

    /// The site's own page for a term titles it, as it titles Hugo's term page.
    @Test func aTermPageOfTheSiteGivesTheTitle() throws {
        let dir = try TempDir()
        let publication = try Self.publication(dir)
        try dir.write("site/content/tags/c++/_index.md", "---\ntitle: The C++ language\n---\n")
        try dir.write("site/content/tags/go/_index.md", "---\ndescription: no title here\n---\n")
        let published = [Fixture.post(1, tags: ["C++", "Go"], categories: [])].map(\.meta)
        let titles = Set(FeedPlanner(publication: publication, published: published).plans.map(\.title))
        #expect(titles == ["Site", "The C++ language · Site", "Go · Site"])
    }

    @Test func hostileNamesMakeSafeFoldersOrNone() throws {
        let dir = try TempDir()
        let publication = try Self.publication(dir)
        let huge = String(repeating: "长", count: 100)
        let published = [
            Fixture.post(1, tags: ["a\u{0}b\u{1b}[31m", "..", "../etc", "a/./b", "%41x", huge, "/"], categories: [])
        ].map(\.meta)
        let planner = FeedPlanner(publication: publication, published: published)
        #expect(Set(planner.plans.map(\.directory)) == ["", "tags/ab31m", "tags/a/b", "tags/%41x"])
        #expect(planner.plans.first { $0.directory == "tags/%41x" }?.url.absoluteString == "https://site.example/tags/%2541x/")
        #expect(planner.plans.first { $0.directory == "tags/ab31m" }?.title == "a\u{0}b\u{1b}[31m · Site")
        #expect(planner.notes.count == 4)
        #expect(planner.notes.contains { $0.contains("it names a parent folder (..)") && $0.contains("\"../etc\"") })
        #expect(planner.notes.contains { $0.contains("longer than 255 bytes") && $0.contains("…\" gets no feed") })
        #expect(planner.notes.allSatisfy { !$0.unicodeScalars.contains { $0.properties.generalCategory == .control } })
    }

    /// A term feed stands for Hugo's term page of its language (`/en/tags/go/`).
    @Test func aTermFeedOfAnotherLanguageStandsForThatLanguagesTermPage() throws {
        let dir = try TempDir()
        try dir.write(
            "site/hugo.toml",
            "baseURL = \"https://site.example/\"\ntitle = \"Site\"\ndefaultContentLanguage = \"zh\"\n[languages.zh]\n[languages.en]\n")
        try dir.write("site/content/blog/.keep", "")
        try dir.write("pub/herald.yml", "hugo: ../site\nsection: blog\nlanguage: en\npath: /\nfeeds:\n  hugo_index: false\n")
        let publication = try Publication.load(from: dir.url.appendingPathComponent("pub").path)
        let plans = FeedPlanner(publication: publication, published: [Fixture.post(1, tags: ["Go"], categories: [])].map(\.meta)).plans
        let go = try #require(plans.first { $0.directory == "tags/go" })
        #expect(go.url.absoluteString == "https://site.example/en/tags/go/")
    }

    @Test func aSiteThatKeepsCaseKeepsItInFolders() throws {
        let dir = try TempDir()
        let publication = try Self.publication(dir, config: "disablePathToLower = true\n")
        let published = [Fixture.post(2, tags: ["Service mesh"], categories: []), Fixture.post(1, tags: ["service mesh"], categories: [])]
            .map(\.meta)
        let plans = FeedPlanner(publication: publication, published: published).plans
        #expect(Set(plans.map(\.directory)) == ["", "tags/Service-mesh", "tags/service-mesh"])
    }

    /// By default a Hugo publication's feeds are at its section's path, and each term's RSS is
    /// also where Hugo published it: the same entries, standing for the same term page.
    @Test func atTheSectionsPathEachTermAlsoHasHugosIndexXML() throws {
        let dir = try TempDir()
        try dir.write(
            "site/hugo.toml",
            "baseURL = \"https://site.example/\"\ntitle = \"Site\"\ndefaultContentLanguage = \"zh\"\n[languages.zh]\n[languages.en]\n")
        try dir.write("site/content/blog/.keep", "")
        try dir.write("pub/herald.yml", "hugo: ../site\nsection: blog\nlanguage: en\n")
        let publication = try Publication.load(from: dir.url.appendingPathComponent("pub").path)
        let published = [Fixture.post(1, tags: ["Go"], categories: [])].map(\.meta)
        let plans = FeedPlanner(publication: publication, published: published).plans
        #expect(Set(plans.map(\.directory)) == ["en/blog", "en/blog/tags/go", "en/tags/go"])
        let own = try #require(plans.first { $0.directory == "en/blog/tags/go" })
        let hugos = try #require(plans.first { $0.directory == "en/tags/go" })
        #expect(own.files.all == ["atom.xml", "rss.xml", "feed.json"])
        #expect(hugos.files.all == ["index.xml"])
        #expect(own.url == hugos.url && hugos.url.absoluteString == "https://site.example/en/tags/go/")
        #expect(own.fileURL("atom.xml").absoluteString == "https://site.example/en/blog/tags/go/atom.xml")
        #expect(hugos.fileURL("index.xml").absoluteString == "https://site.example/en/tags/go/index.xml")
        #expect(own.entries.map(\.slug) == hugos.entries.map(\.slug))
        // The section's own index.xml is one plan with the publication's feed's entries.
        let section = plans.filter { $0.directory == "en/blog" }
        #expect(section.map(\.files.all) == [["atom.xml", "rss.xml", "feed.json"], ["index.xml"]])
    }
}
