import Foundation
import HeraldBase
import HeraldConfig
import HeraldTestSupport
import HeraldUseCases
import Testing

/// `herald init --hugo`: the section with dated pages, not the biggest one; one publication
/// per language that has dated pages there; each loads as a publication at its section's path.
@Suite struct HugoPublicationTemplateTests {
    private func site(_ dir: TempDir, mainSections: String = "") throws {
        try dir.write(
            "site/hugo.toml",
            """
            baseURL = "https://site.example/"
            defaultContentLanguage = "zh"
            timeZone = "Asia/Shanghai"
            \(mainSections)
            [languages.zh]
            contentDir = "content/zh"
            [languages.en]
            contentDir = "content/en"
            [languages.fr]
            contentDir = "content/fr"
            """)
        try dir.write("site/content/zh/blog/a.md", "---\ntitle: A\ndate: 2024-01-01\n---\n")
        try dir.write("site/content/zh/blog/b/index.md", "+++\ntitle = \"B\"\npublishDate = 2024-01-02\n+++\n")
        try dir.write("site/content/en/blog/a.md", "---\ntitle: A\ndate: 2024-01-01\n---\n")
        try dir.write("site/content/en/blog/_index.md", "---\ntitle: Blog\ndate: 2024-01-01\n---\n")
        // French has the section, but nothing dated in it: no publication.
        try dir.write("site/content/fr/blog/a.md", "---\ntitle: A\n---\n")
        for n in 1...6 { try dir.write("site/content/zh/projects/p\(n).md", "---\ntitle: P\(n)\n---\n") }
    }

    @Test func choosesTheSectionWithDatedPagesAndWritesOnePublicationPerLanguage() throws {
        let dir = try TempDir()
        try site(dir)
        let outcome = try HugoPublicationTemplate(
            site: dir.url.appendingPathComponent("site").path, section: nil, language: nil,
            folder: dir.url.appendingPathComponent("feeds/site").path
        ).write()
        #expect(outcome.notes.first == "section blog: the one with the most dated pages")
        #expect(outcome.notes.contains { $0.contains("blog: 3 dated of 4 pages (zh 2, en 1, fr 0)") })
        #expect(outcome.notes.contains { $0.contains("projects (0 dated of 6)") })
        #expect(outcome.written.map { ($0.folder as NSString).lastPathComponent } == ["site-zh", "site-en"])
        let en = try Publication.load(from: dir.url.appendingPathComponent("feeds/site-en").path)
        #expect(en.path == "/en/blog/")
        #expect(en.timeZone.identifier == "Asia/Shanghai")
        #expect(!FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("feeds/site-fr").path))
    }

    @Test func mainSectionsWinsAndTheTimeZoneGivenIsWritten() throws {
        let dir = try TempDir()
        try site(dir, mainSections: "[params]\nmainSections = [\"blog\"]")
        let outcome = try HugoPublicationTemplate(
            site: dir.url.appendingPathComponent("site").path, section: nil, language: "en", timeZone: "Europe/Paris",
            folder: dir.url.appendingPathComponent("feeds/en").path
        ).write()
        #expect(outcome.notes.first == "section blog: the site's mainSections")
        let en = try Publication.load(from: outcome.written[0].folder)
        #expect(en.timeZone.identifier == "Europe/Paris")
        #expect(en.path == "/en/blog/")
    }

    @Test func anUnknownSectionOrTimeZoneWritesNothing() throws {
        let dir = try TempDir()
        try site(dir)
        for (section, zone) in [("nowhere", nil), ("blog", "Mars/Olympus")] as [(String, String?)] {
            #expect(throws: PublicationTemplateFailure.self) {
                try HugoPublicationTemplate(
                    site: dir.url.appendingPathComponent("site").path, section: section, language: nil, timeZone: zone,
                    folder: dir.url.appendingPathComponent("feeds/site").path
                ).write()
            }
        }
        #expect(!FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("feeds").path))
    }
}
