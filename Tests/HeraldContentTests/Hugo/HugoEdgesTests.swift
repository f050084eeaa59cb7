import Foundation
import HeraldBase
import HeraldConfig
import HeraldTestSupport
import Testing

@testable import HeraldContent

/// Pages at the edges of Hugo's rules: what Hugo lists without a date, what it never reads
/// (`ignoreFiles`), and a translation named by its file in another language's folder.
@Suite struct HugoEdgesTests {
    /// A two-language site (zh default, en) with a `blog` section in each content folder.
    static func site(_ dir: TempDir, config extra: String = "") throws {
        try dir.write(
            "site/hugo.toml",
            """
            baseURL = "https://site.example/"
            title = "站点"
            defaultContentLanguage = "zh"
            timeZone = "Asia/Shanghai"
            \(extra)
            [languages.zh]
            contentDir = "content/zh"
            [languages.en]
            contentDir = "content/en"
            """)
    }

    static func loader(_ dir: TempDir, language: String) throws -> PostLoader {
        try dir.write("pub-\(language)/herald.yml", "hugo: ../site\nsection: blog\nlanguage: \(language)\n")
        let publication = try Publication.load(from: dir.url.appendingPathComponent("pub-\(language)").path)
        return PostLoader(publication: publication, workingDirectory: dir.path)
    }

    static func page(_ title: String, _ date: String = "2024-05-03") -> String {
        "---\ntitle: \(title)\ndate: \(date)\n---\nbody\n"
    }

    @Test func pagesHugoListsWithoutADateAreLeftOutWithANoteAndBlockNothing() throws {
        let dir = try TempDir()
        try Self.site(dir)
        try dir.write("site/content/zh/blog/good.md", Self.page("好"))
        try dir.write("site/content/zh/blog/bundle/index.md", "no front matter, only a sentence\n")
        try dir.write("site/content/zh/blog/empty.md", "")
        try dir.write("site/content/zh/blog/undated.md", "---\ntitle: 无日期\n---\nbody\n")
        try dir.write("site/content/zh/blog/untitled.md", "---\ndate: 2024-05-01\n---\nbody\n")
        try dir.write("site/content/zh/blog/toml.md", "+++\ntitle = \"t\"\n+++\nbody\n")
        try dir.write("site/content/zh/blog/unfinished.md", "---\ntitle: 草稿\ndraft: true\n---\nbody\n")
        let scan = try Self.loader(dir, language: "zh").scan()
        #expect(scan.problems == [])
        #expect(scan.metas.map(\.title) == ["好"])
        let notes = scan.notes.map(\.description)
        #expect(notes.count == 5)
        let bundle = try #require(notes.first { $0.hasPrefix("site/content/zh/blog/bundle/index.md:1: ") })
        #expect(bundle.contains("warning: no front matter: Hugo lists this page untitled with a zero date"))
        #expect(bundle.contains("until it starts with front matter (---, title: \"…\" and date: 20"))
        // The date suggested is the file's own time, in the site's time zone.
        #expect(bundle.contains("+08:00, ---)"))
        #expect(notes.contains { $0.hasPrefix("site/content/zh/blog/empty.md:1: warning: no front matter") })
        #expect(
            notes.contains { $0.hasPrefix("site/content/zh/blog/undated.md:1: warning: no date: Hugo lists this page with a zero date") })
        #expect(notes.contains { $0.hasPrefix("site/content/zh/blog/untitled.md:1: warning: no title: Hugo lists this page untitled") })
        #expect(notes.contains { $0.hasPrefix("site/content/zh/blog/toml.md:1: warning: no date") })
    }

    /// Hugo refuses to build a page whose front matter does not parse: so does Herald.
    @Test func brokenFrontMatterIsStillAProblem() throws {
        let dir = try TempDir()
        try Self.site(dir)
        try dir.write("site/content/zh/blog/bad.md", "---\ntitle: [unclosed\ndate: 2024-01-01\n---\nb\n")
        try dir.write("site/content/zh/blog/open.md", "---\ntitle: x\n")
        let scan = try Self.loader(dir, language: "zh").scan()
        #expect(scan.problems.map(\.path) == ["site/content/zh/blog/bad.md", "site/content/zh/blog/open.md"])
        #expect(scan.notes == [])
    }

    @Test func ignoreFilesMatchesAbsolutePathsOfFilesAndFolders() throws {
        let dir = try TempDir()
        try Self.site(dir, config: #"ignoreFiles = ["\\.draft\\.md$", "/blog/private$", "(unclosed"]"#)
        try dir.write("site/content/zh/blog/kept.md", Self.page("留"))
        try dir.write("site/content/zh/blog/wip.draft.md", Self.page("草稿"))
        try dir.write("site/content/zh/blog/private/inside.md", Self.page("私"))
        try dir.write("site/content/zh/blog/#autosave.md", Self.page("编辑器"))
        let scan = try Self.loader(dir, language: "zh").scan()
        #expect(scan.metas.map(\.title) == ["留"])
        #expect(scan.problems == [])
        #expect(
            scan.notes.map(\.message) == [
                "warning: ignoreFiles pattern \"(unclosed\" is not a regular expression; Herald skips it, as Hugo does"
            ])
    }

    /// `x.en.md` in the zh folder is English (at /en/blog/x/); `z.zh.md` in the en folder is
    /// Chinese; a suffix that is no language of the site is part of the name.
    @Test func aLanguageSuffixWinsOverTheContentFolder() throws {
        let dir = try TempDir()
        try Self.site(dir)
        try dir.write("site/content/zh/blog/a.md", Self.page("甲"))
        try dir.write("site/content/zh/blog/x.en.md", Self.page("X in English", "2024-05-04"))
        try dir.write("site/content/zh/blog/y.fr.md", Self.page("Y", "2024-05-02"))
        try dir.write("site/content/en/blog/e.md", Self.page("E", "2024-05-01"))
        try dir.write("site/content/en/blog/z.zh.md", Self.page("Z 中文", "2024-05-05"))
        let zh = try Self.loader(dir, language: "zh").scan()
        #expect(zh.problems == [])
        #expect(
            zh.metas.map(\.permalink.absoluteString) == [
                "https://site.example/blog/z/", "https://site.example/blog/a/", "https://site.example/blog/y.fr/",
            ])
        let en = try Self.loader(dir, language: "en").scan()
        #expect(en.problems == [])
        #expect(en.metas.map(\.permalink.absoluteString) == ["https://site.example/en/blog/x/", "https://site.example/en/blog/e/"])
        #expect(en.metas.first?.source == "site/content/zh/blog/x.en.md")
    }

    /// English pages only in the zh folder still make an English section.
    @Test func aSectionMadeOnlyOfPagesNamedForTheLanguageIsThere() throws {
        let dir = try TempDir()
        try Self.site(dir)
        try dir.write("site/content/zh/blog/x.en.md", Self.page("X"))
        try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("site/content/en"), withIntermediateDirectories: true)
        let en = try Self.loader(dir, language: "en").scan()
        #expect(en.problems == [])
        #expect(en.metas.map(\.permalink.absoluteString) == ["https://site.example/en/blog/x/"])
    }

    @Test func aTermKeyIsHugosPathLowerCased() {
        let rules = HugoURLRules()
        #expect(rules.termKey("Service mesh") == "service-mesh")
        #expect(rules.termKey("service-mesh") == "service-mesh")
        #expect(rules.termKey("开源 之夏") == "开源-之夏")
        #expect(rules.termKey("C++") == "c++")
        #expect(rules.termKey("Ünïcode") == "ünïcode")
        #expect(rules.termKey("a\u{0}b\u{7}c") == "abc")
        #expect(rules.termKey("!!!") == "")
        #expect(HugoURLRules(keepCase: true).termKey("Service mesh") == "Service-mesh")
        #expect(HugoURLRules(removeAccents: true).termKey("Ünïcode") == "unicode")
    }
}
