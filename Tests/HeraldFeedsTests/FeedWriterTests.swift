import Foundation
import HeraldBase
import HeraldConfig
import HeraldContent
import HeraldTestSupport
import Testing

@testable import HeraldFeeds

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The content edges, checked by parsing what was written: the text must come back whole.
@Suite struct FeedWriterTests {
    let dir: TempDir
    let pub: Publication
    init() throws {
        dir = try TempDir()
        pub = try Fixture.publication(in: dir)
    }

    /// Each build gets its own folder: posts in memory leave the fingerprint unchanged,
    /// so a second build into the same folder would rightly be skipped.
    var lastOut: URL { dir.url.appendingPathComponent("out-last") }

    func build(_ posts: [Post]) throws -> (atom: ParsedFeed, rss: ParsedFeed) {
        let out = dir.url.appendingPathComponent("out-\(UUID().uuidString)")
        try? FileManager.default.removeItem(at: lastOut)
        defer { try? FileManager.default.createSymbolicLink(at: lastOut, withDestinationURL: out) }
        _ = try Fixture.build(pub, posts, out: out)
        return (try ParsedFeed(out.appendingPathComponent("atom.xml")), try ParsedFeed(out.appendingPathComponent("rss.xml")))
    }

    @Test func markupAndCDATAEndInTitlesAndContentAreText() throws {
        let title = "a <b>bold</b> & ]]> \"quoted\" 'x' ]]]]><![CDATA[ end"
        let html = "<p>code: <code>x]]>y</code> &amp; <![CDATA[ nope ]]></p>"
        let feeds = try build([Fixture.post(1, title: title, html: html, summary: "1 < 2 ]]> 3")])
        // Atom declares text that looks like markup as HTML, escaped so it displays as written.
        #expect(try feeds.atom.strings("//*[local-name()='entry']/*[local-name()='title']") == [htmlEscape(title)])
        #expect(try feeds.atom.strings("//*[local-name()='entry']/*[local-name()='title']/@type") == ["html"])
        // RSS has no way to declare markup: the tags are left out, the words stay.
        #expect(try feeds.rss.strings("//item/title") == ["a bold & ]]> \"quoted\" 'x' ]]]]><![CDATA[ end"])
        // The content is the sanitizer's HTML: text re-escaped, the CDATA section shown as text.
        let safe = "<p>code: <code>x]]&gt;y</code> &amp; &lt;![CDATA[ nope ]]&gt;</p>"
        #expect(try feeds.atom.strings("//*[local-name()='content']") == [safe])
        #expect(try feeds.rss.strings("//item/*[local-name()='encoded']") == [safe])
        #expect(try feeds.atom.strings("//*[local-name()='summary']") == [htmlEscape("1 < 2 ]]> 3")])
        #expect(try feeds.atom.strings("//*[local-name()='summary']/@type") == ["html"])
        // RSS description is HTML: the plain summary arrives HTML-escaped.
        #expect(try feeds.rss.strings("//item/description") == ["1 &lt; 2 ]]&gt; 3"])
    }

    @Test func rssPlainTextUsesHexReferencesForAmpersandAndLessThan() throws {
        let title = "R&D < 周报"
        _ = try build([Fixture.post(1, title: title)])
        let raw = try String(contentsOf: lastOut.appendingPathComponent("rss.xml"), encoding: .utf8)
        #expect(raw.contains("<title>R&#x26;D &#x3C; 周报</title>"))
        #expect(try ParsedFeed(lastOut.appendingPathComponent("rss.xml")).strings("//item/title") == [title])
    }

    @Test func plainTitlesStayText() throws {
        let feeds = try build([Fixture.post(1, title: "周报 > 上期 ]]>")])
        #expect(try feeds.atom.strings("//*[local-name()='entry']/*[local-name()='title']") == ["周报 > 上期 ]]>"])
        #expect(try feeds.atom.count("//*[local-name()='entry']/*[local-name()='title']/@type") == 0)
    }

    @Test func anAmpersandMakesAnAtomTitleHTML() throws {
        // `&copy` as plain text reads as an entity to the W3C validator; as escaped HTML it is text.
        let title = "R&D &copy 周报"
        let feeds = try build([Fixture.post(1, title: title)])
        #expect(try feeds.atom.strings("//*[local-name()='entry']/*[local-name()='title']") == [htmlEscape(title)])
        #expect(try feeds.atom.strings("//*[local-name()='entry']/*[local-name()='title']/@type") == ["html"])
        #expect(try feeds.rss.strings("//item/title") == [title])
    }

    @Test func namesAndCategoryLabelsLeaveTagsOut() throws {
        let post = Fixture.post(
            1, title: "t", tags: [], categories: ["<i>News</i> & Views"], author: Person(name: "Bob <b>Bold</b> & Sons"))
        let feeds = try build([post])
        #expect(try feeds.atom.strings("//*[local-name()='entry']/*[local-name()='author']/*[local-name()='name']") == ["Bob Bold & Sons"])
        #expect(try feeds.atom.strings("//*[local-name()='entry']/*[local-name()='category']/@term") == ["<i>News</i> & Views"])
        #expect(try feeds.atom.strings("//*[local-name()='entry']/*[local-name()='category']/@label") == ["News & Views"])
        #expect(try feeds.rss.strings("//item/*[local-name()='creator']") == ["Bob Bold & Sons"])
        #expect(try feeds.rss.strings("//item/category") == ["News & Views"])
    }

    /// Independent of the code under test: the three replacements HTML needs for text.
    func htmlEscape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    @Test func controlCharactersAreDropped() throws {
        let dirty = "a\u{0}b\u{1}c\u{8}d\u{B}e\u{C}f\u{1F}g\u{FFFE}h\u{FFFF}i"
        let feeds = try build([
            Fixture.post(
                1, title: dirty, html: "<p>\(dirty)</p>", summary: dirty,
                author: Person(name: "x\u{7}y"))
        ])
        // In a title, vertical tab and form feed are whitespace (one line: a space), the rest dropped.
        #expect(try feeds.atom.strings("//*[local-name()='entry']/*[local-name()='title']") == ["abcd e fghi"])
        // libxml2's HTML parser reads NUL as a space before the sanitizer sees the text.
        #expect(try feeds.rss.strings("//item/*[local-name()='encoded']") == ["<p>a bcdefghi</p>"])
        #expect(try feeds.rss.strings("//item/*[local-name()='creator']") == ["xy"])
    }

    @Test func lineBreaksInTitlesBecomeSpaces() throws {
        let feeds = try build([Fixture.post(1, title: "第一行\r\n第二行\n\n第三行\r第四行")])
        let expected = "第一行 第二行 第三行 第四行"
        #expect(try feeds.atom.strings("//*[local-name()='entry']/*[local-name()='title']") == [expected])
        #expect(try feeds.rss.strings("//item/title") == [expected])
    }

    @Test func emojiAndAstralCharactersSurvive() throws {
        let title = "🚀 发布 𠀋𡈽 👩‍👩‍👧 \u{1D11E} é"
        let feeds = try build([Fixture.post(1, title: title, tags: ["🚀", "开源之夏"], html: "<p>\(title)</p>")])
        #expect(try feeds.atom.strings("//*[local-name()='entry']/*[local-name()='title']") == [title])
        #expect(try feeds.rss.strings("//item/category") == ["周报", "🚀", "开源之夏"])
        // Written as UTF-8, not as character references.
        #expect(feeds.atom.document.xmlString.contains(title))
    }

    @Test func postWithoutTagsHasNoCategories() throws {
        let feeds = try build([Fixture.post(1, tags: [], categories: [])])
        #expect(try feeds.atom.count("//*[local-name()='category']") == 0)
        #expect(try feeds.rss.count("//category") == 0)
        #expect(try feeds.atom.count("//*[local-name()='entry']") == 1)
    }

    @Test func entryCarriesAuthorCategoriesDatesAndCover() throws {
        let cover = URL(string: "https://img.example.org/cover/1.jpg")!
        let post = Fixture.post(3, tags: ["SOFA Weekly", "开源之夏"], cover: cover)
        let feeds = try build([post])
        let a = feeds.atom
        #expect(try a.strings("//*[local-name()='entry']/*[local-name()='author']/*[local-name()='name']") == ["张三"])
        #expect(
            try a.strings("//*[local-name()='entry']/*[local-name()='author']/*[local-name()='uri']") == ["https://github.com/zhangsan"])
        #expect(try a.strings("//*[local-name()='category']/@term") == ["周报", "SOFA Weekly", "开源之夏"])
        // A label equal to its term says nothing: a reader shows the term.
        #expect(try a.count("//*[local-name()='category']/@label") == 0)
        #expect(
            try a.strings("//*[local-name()='category']/@scheme") == [
                "https://weekly.example.org/categories/", "https://weekly.example.org/tags/", "https://weekly.example.org/tags/",
            ])
        #expect(try a.strings("//*[local-name()='entry']/*[local-name()='id']") == [post.permalink.absoluteString])
        #expect(try a.strings("//*[local-name()='content']/@xml:base") == [post.permalink.absoluteString])
        #expect(try a.strings("//*[local-name()='thumbnail']/@url") == [cover.absoluteString])
        let published = try #require(try a.strings("//*[local-name()='entry']/*[local-name()='published']").first)
        #expect(ISO8601DateFormatter().date(from: published) == post.date)
        let updated = try a.strings("/*/*[local-name()='updated']")
        #expect(updated.map { ISO8601DateFormatter().date(from: $0) } == [post.updated])
        #expect(try feeds.rss.strings("//item/guid/@isPermaLink") == ["true"])
    }

    @Test func editingATitleKeepsTheEntryID() throws {
        let before = try build([Fixture.post(1, title: "旧标题")])
        let after = try build([Fixture.post(1, title: "新标题")])
        let id = "//*[local-name()='entry']/*[local-name()='id']"
        #expect(try before.atom.strings(id) == after.atom.strings(id))
        #expect(try before.rss.strings("//guid") == after.rss.strings("//guid"))
    }

    @Test func summaryModeLeavesFullContentOut() throws {
        let pub = try Fixture.publication(in: dir, "feeds:\n  content: summary")
        let out = dir.url.appendingPathComponent("summary")
        _ = try Fixture.build(pub, [Fixture.post(1)], out: out)
        let atom = try ParsedFeed(out.appendingPathComponent("atom.xml"))
        let rss = try ParsedFeed(out.appendingPathComponent("rss.xml"))
        #expect(try atom.count("//*[local-name()='content']") == 0)
        #expect(try atom.count("//*[local-name()='summary']") == 1)
        #expect(try rss.count("//*[local-name()='encoded']") == 0)
        #expect(try rss.count("//item/description") == 1)
    }

    @Test func largeDocumentsComeOutWholeInOrder() throws {
        // Megabytes in pieces of odd sizes, one larger than the writer's 1 MB buffer: full
        // blocks may go out with direct I/O and the tail through the page cache; every
        // byte must come back, in order.
        let path = dir.url.appendingPathComponent("big.xml")
        let fd = open(path.path, O_RDWR | O_CREAT | O_TRUNC, 0o644)
        try #require(fd >= 0)
        defer { close(fd) }
        let texts = (0..<20).map { i in String(repeating: "<p>é\(i) & ", count: i == 7 ? 75_000 : 1_000 + 211 * i) }
        let xml = try XMLWriter(fileDescriptor: fd, path: path.path)
        xml.start("feed")
        for text in texts { xml.element("e", EscapedText(text)) }
        xml.end()
        try xml.finish()
        let document = try XMLDocument(contentsOf: path)
        #expect(try document.nodes(forXPath: "/feed/e").map { $0.stringValue ?? "" } == texts)
    }

    @Test func xmlWriterReportsAWriteFailure() throws {
        // A descriptor opened read-only: every write fails, and finish() must say so.
        let path = try dir.write("ro.xml", "")
        let fd = open(path.path, O_RDONLY)
        defer { close(fd) }
        let xml = try XMLWriter(fileDescriptor: fd, path: path.path)
        xml.start("feed")
        xml.text(String(repeating: "x", count: 100_000))
        #expect(throws: FileError.self) { try xml.finish() }
    }
}
