import Foundation
import HeraldBase
import HeraldConfig
import HeraldTestSupport
import Testing

@testable import HeraldFeeds

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `feed.xsl` and the `<?xml-stylesheet?>` that names it (the browser side is
/// Tests/peers/test_feed_stylesheet.py).
@Suite struct FeedStylesheetTests {
    let dir: TempDir
    var out: URL { dir.url.appendingPathComponent("public") }

    init() throws { dir = try TempDir() }

    @Test(arguments: [("", "feed.xsl"), ("archive", "../feed.xsl"), ("tags/开源之夏", "../../feed.xsl")])
    func hrefClimbsToTheOutputFolder(directory: String, href: String) {
        #expect(FeedStylesheet.instruction(forFeedIn: directory) == "type=\"text/xsl\" href=\"\(href)\"")
    }

    /// A publication at `blog/` keeps its stylesheet there; Hugo's term feeds, outside it, climb to it.
    @Test(arguments: [
        ("blog", "feed.xsl"), ("blog/tags/swift", "../../feed.xsl"), ("tags/swift", "../../blog/feed.xsl"),
        ("en/tags/swift", "../../blog/feed.xsl"), ("en/blog", "feed.xsl"),
    ])
    func hrefFindsThePublicationsStylesheetFromAnywhereOnTheSite(directory: String, href: String) {
        let folder = directory.hasPrefix("en/") ? "en/blog/" : "blog/"
        #expect(
            FeedStylesheet.instruction(forFeedIn: directory, stylesheetIn: folder) == "type=\"text/xsl\" href=\"\(href)\"")
    }

    @Test func stylesheetIsXMLInThePublicationLanguage() throws {
        let chinese = try Fixture.publication(in: dir)
        let text = try FeedStylesheet.document(for: chinese)
        #expect(!text.contains("{{"))
        #expect(text.contains("<html lang=\"zh-CN\">"))
        #expect(text.contains(Labels(language: "zh-CN", schedule: .manual)["feed_notice"]))
        let document = try XMLDocument(data: Data(text.utf8), options: [])
        #expect(document.rootElement()?.name == "xsl:stylesheet")
    }

    @Test func everyFeedNamesItAndTheBuildWritesItOnce() throws {
        let pub = try Fixture.publication(in: dir, "feeds:\n  archive: 2")
        let posts = (1...5).map { Fixture.post($0) }
        _ = try Fixture.build(pub, posts, out: out)
        let xsl = out.appendingPathComponent(SiteLayout.Name.stylesheet)
        #expect(try String(contentsOf: xsl, encoding: .utf8) == (try FeedStylesheet.document(for: pub)))
        for (feed, href) in [
            ("atom.xml", "feed.xsl"), ("rss.xml", "feed.xsl"), ("archive/1.xml", "../feed.xsl"),
            ("archive/1.rss", "../feed.xsl"), ("tags/sofa-weekly/atom.xml", "../../feed.xsl"),
        ] {
            let lines = try String(contentsOf: out.appendingPathComponent(feed), encoding: .utf8).split(separator: "\n")
            #expect(lines[1] == "<?xml-stylesheet type=\"text/xsl\" href=\"\(href)\"?>", "\(feed)")
        }
        // A changed post rebuilds the feeds; the stylesheet, unchanged, is not written again.
        let before = try FileManager.default.attributesOfItem(atPath: xsl.path)[.modificationDate] as! Date
        try dir.write("pub/posts/a.md", UUID().uuidString)
        _ = try Fixture.build(pub, posts + [Fixture.post(6)], out: out)
        #expect(try FileManager.default.attributesOfItem(atPath: xsl.path)[.modificationDate] as! Date == before)
    }

    @Test func turnedOffNoFeedNamesItAndAnOldOneIsRemoved() throws {
        let posts = (1...3).map { Fixture.post($0) }
        _ = try Fixture.build(try Fixture.publication(in: dir), posts, out: out)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("feed.xsl").path))
        let off = try Fixture.publication(in: dir, "feeds:\n  stylesheet: false")
        _ = try Fixture.build(off, posts, out: out)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("feed.xsl").path))
        #expect(!(try String(contentsOf: out.appendingPathComponent("atom.xml"), encoding: .utf8)).contains("xml-stylesheet"))
    }

    @Test func aPublicationsOwnStylesheetReplacesTheBuiltInOneAndEditingItRebuilds() throws {
        let pub = try Fixture.publication(in: dir)
        let posts = (1...2).map { Fixture.post($0) }
        try dir.write("pub/templates/feed.xsl", "<?xml version=\"1.0\"?>\n<!-- ours: {{labels.feed_copy}} -->\n<x/>\n")
        let first = try Fixture.build(pub, posts, out: out)
        #expect(!first.upToDate)
        let xsl = out.appendingPathComponent("feed.xsl")
        #expect(try String(contentsOf: xsl, encoding: .utf8) == "<?xml version=\"1.0\"?>\n<!-- ours: 复制地址 -->\n<x/>\n")
        #expect(try Fixture.build(pub, posts, out: out).upToDate)
        try dir.write("pub/templates/feed.xsl", "<?xml version=\"1.0\"?>\n<y/>\n")
        #expect(try !Fixture.build(pub, posts, out: out).upToDate)
        #expect(try String(contentsOf: xsl, encoding: .utf8) == "<?xml version=\"1.0\"?>\n<y/>\n")
    }

    /// The shipped feed.xsl as the replacement loop before Mustache wrote it: `{{language}}`
    /// `{{subscribe}}`, `{{{style}}}` and each `{{labels.KEY}}` replaced, `&` `<` `>` escaped. Mustache must give the same bytes.
    static func replaced(_ template: String, language: String) -> String {
        func escaped(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;")
        }
        var text = template.replacingOccurrences(of: "{{language}}", with: escaped(language))
            .replacingOccurrences(of: "{{subscribe}}", with: "https://example.org/subscribe")
            .replacingOccurrences(of: "{{{style}}}", with: FeedTemplates.files["feed.css"] ?? "")
        for (key, value) in Labels(language: language, schedule: .manual).values {
            text = text.replacingOccurrences(of: "{{labels.\(key)}}", with: escaped(value))
        }
        return text
    }

    @Test(arguments: ["en", "zh-CN", "zh-Hant", "de"])
    func shippedStylesheetIsTheBytesOfTheReplacementLoop(language: String) throws {
        try dir.write(
            "pub/herald.yml",
            """
            title: "T"
            base_url: https://example.org/
            language: \(language)
            """)
        try dir.write("pub/posts/.keep", "")
        let pub = try Publication.load(from: dir.url.appendingPathComponent("pub").path)
        let shipped = try #require(FeedTemplates.files[SiteLayout.Name.stylesheet])
        #expect(shipped.contains("{{labels.feed_notice}}"))
        #expect(try FeedStylesheet.document(for: pub) == Self.replaced(shipped, language: language))
    }

    @Test func anOwnStylesheetMustacheCannotReadIsAProblemAtItsLine() throws {
        let pub = try Fixture.publication(in: dir)
        try dir.write("pub/templates/feed.xsl", "<?xml version=\"1.0\"?>\n<x>{{#labels}}</x>\n")
        #expect {
            try FeedStylesheet.document(for: pub)
        } throws: { error in
            guard let problem = error as? SourceProblem else { return false }
            return problem.path.hasSuffix("templates/feed.xsl") && problem.exitStatus == .dataError
        }
    }
}
