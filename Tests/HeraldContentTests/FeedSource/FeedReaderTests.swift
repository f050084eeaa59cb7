import Foundation
import HeraldBase
import HeraldConfig
import HeraldTestSupport
import Testing

@testable import HeraldContent

/// Hand-made feeds of each format, read into entries and the posts a digest shows.
@Suite struct FeedReaderTests {
    static let url = "https://blog.example.org/feed.xml"

    func read(_ text: String, url: String = Self.url) throws -> IncomingFeed {
        try FeedReader.read(Array(text.utf8), url: url)
    }

    @Test func atomWithEveryTextConstructAndXMLBase() throws {
        let feed = try read(
            """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/" xml:lang="de-DE">
              <title>Ein Blog</title>
              <link href="https://blog.example.org/"/>
              <link rel="self" href="https://blog.example.org/feed.xml"/>
              <author><name>Anna</name></author>
              <entry xml:base="https://blog.example.org/2024/05/">
                <id>tag:blog.example.org,2024:1</id>
                <title type="html">Hello &lt;b&gt;World&lt;/b&gt; &amp;amp; more</title>
                <link rel="alternate" type="text/html" href="hello/"/>
                <published>2024-05-03T15:00:00+08:00</published>
                <updated>2024-05-04T10:00:00Z</updated>
                <category term="swift" label="Swift"/><category term="feeds"/><category term="swift" label="Swift"/>
                <summary type="text">Short &amp; plain</summary>
                <content type="html">&lt;p&gt;See &lt;a href="pics/a.png"&gt;the picture&lt;/a&gt;.&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;</content>
                <media:thumbnail url="https://cdn.example.org/t.jpg"/>
              </entry>
              <entry>
                <id>urn:uuid:2</id>
                <title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">An <em>xhtml</em> title</div></title>
                <updated>2024-05-01T00:00:00Z</updated>
                <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Inline <img src="/i.png"/></p></div></content>
              </entry>
            </feed>
            """)
        #expect(feed.format == .atom)
        #expect(feed.title == "Ein Blog")
        #expect(feed.language == "de-DE")
        #expect(feed.link?.absoluteString == "https://blog.example.org/")
        #expect(feed.entries.count == 2)
        let first = feed.entries[0]
        #expect(first.id == "tag:blog.example.org,2024:1")
        #expect(first.title == "Hello World & more")
        #expect(first.link?.absoluteString == "https://blog.example.org/2024/05/hello/")
        #expect(first.date == utc(2024, 5, 3, 7))
        #expect(first.utcOffset == 8 * 3600)
        #expect(first.updated == utc(2024, 5, 4, 10))
        #expect(first.tags == ["Swift", "feeds"])
        #expect(first.author == "Anna" || first.author == nil)
        #expect(first.cover?.absoluteString == "https://cdn.example.org/t.jpg")

        let publication = try ScratchPublication().publication
        let post = first.post(in: feed, publication: publication, firstSeen: utc(2030, 1, 1))
        #expect(post.permalink.absoluteString == "https://blog.example.org/2024/05/hello/")
        #expect(post.summary == "Short & plain")
        #expect(post.author.name == "Anna")
        // Relative to xml:base, then through the same allow-list as a Markdown post.
        let safe = post.safeHTML(HTMLSanitizer(base: post.permalink, presentation: .feed)).html
        #expect(safe.contains("https://blog.example.org/2024/05/pics/a.png"))
        #expect(!safe.contains("script"))
        #expect(!safe.contains("alert"))
        #expect(post.text.contains("the picture[1]."))
        #expect(post.text.contains("[1] https://blog.example.org/2024/05/pics/a.png"))

        let second = feed.entries[1]
        #expect(second.title == "An xhtml title")
        #expect(second.date == utc(2024, 5, 1))
        let secondPost = second.post(in: feed, publication: publication, firstSeen: utc(2030, 1, 1))
        #expect(
            secondPost.safeHTML(HTMLSanitizer(base: secondPost.permalink, presentation: .feed)).html.contains(
                "https://blog.example.org/i.png"))
        // No link: the feed's home page stands in.
        #expect(secondPost.permalink.absoluteString == "https://blog.example.org/")
    }

    @Test func latin1BytesAreDecodedByTheXMLDeclaration() throws {
        let text = """
            <?xml version="1.0" encoding="ISO-8859-1"?>
            <rss version="2.0"><channel><title>Caf\u{E9}</title><link>https://cafe.example.org/</link>
            <item><title>Cr\u{E8}me</title><link>https://cafe.example.org/p/1/</link><guid isPermaLink="false">post-1</guid>
            <pubDate>Fri, 3 May 2024 15:00 +0200</pubDate><description>x</description></item></channel></rss>
            """
        let feed = try FeedReader.read(Array(text.data(using: .isoLatin1)!), url: Self.url)
        #expect(feed.title == "Café")
        #expect(feed.entries.first?.title == "Crème")
        #expect(feed.entries.first?.id == "post-1")
        #expect(feed.entries.first?.date == utc(2024, 5, 3, 13))
    }

    @Test func utf16WithItsByteOrderMark() throws {
        let text = """
            <?xml version="1.0" encoding="UTF-16"?>
            <feed xmlns="http://www.w3.org/2005/Atom"><title>Wide 寬</title>
            <entry><id>w1</id><title>寬字</title><updated>2024-05-03T00:00:00Z</updated></entry></feed>
            """
        let bytes: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let feed = try FeedReader.read(bytes, url: Self.url)
        #expect(feed.title == "Wide 寬")
        #expect(feed.entries.map(\.title) == ["寬字"])
    }

    @Test func rss2Entries() throws {
        let feed = try read(
            """
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
              <channel>
                <title>Cafe &amp; Co</title><link>https://cafe.example.org/</link><language>fr</language>
                <item>
                  <title>Premier</title><link>/p/1/</link><guid isPermaLink="false">post-1</guid>
                  <pubDate>Fri, 3 May 2024 15:00 +0200</pubDate>
                  <dc:creator>Marie</dc:creator><category>café</category><category>news</category>
                  <description>Le résumé</description>
                  <content:encoded><![CDATA[<p>Le <b>texte</b> <img src="img/x.jpg"></p>]]></content:encoded>
                  <enclosure url="https://cafe.example.org/cover.jpg" type="image/jpeg" length="1"/>
                </item>
                <item><title>Second</title><guid>https://cafe.example.org/p/2/</guid><pubDate>04 May 24 09:30:00 EST</pubDate>
                  <description>&lt;p&gt;Deux&lt;/p&gt;</description></item>
                <item><title>Third</title><link>https://cafe.example.org/p/3/</link>
                  <pubDate>Sunday, 05 May 2024 08:00 GMT</pubDate><description>Trois</description></item>
              </channel>
            </rss>
            """)
        #expect(feed.format == .rss2)
        #expect(feed.title == "Cafe & Co")
        #expect(feed.language == "fr")
        let (a, b, c) = (feed.entries[0], feed.entries[1], feed.entries[2])
        #expect(a.id == "post-1")
        #expect(a.link?.absoluteString == "https://cafe.example.org/p/1/")
        #expect(a.date == utc(2024, 5, 3, 13))
        #expect(a.utcOffset == 7200)
        #expect(a.author == "Marie")
        #expect(a.tags == ["café", "news"])
        #expect(a.cover?.absoluteString == "https://cafe.example.org/cover.jpg")
        #expect(a.summaryHTML == "Le résumé")
        #expect(a.contentHTML?.contains("<b>texte</b>") == true)
        #expect(b.id == "https://cafe.example.org/p/2/")
        #expect(b.link?.absoluteString == "https://cafe.example.org/p/2/")
        #expect(b.date == utc(2024, 5, 4, 14, 30))
        #expect(c.id == "https://cafe.example.org/p/3/")
        #expect(c.date == utc(2024, 5, 5, 8))
        let publication = try ScratchPublication().publication
        let post = a.post(in: feed, publication: publication, firstSeen: utc(2030, 1, 1))
        #expect(post.safeHTML(HTMLSanitizer(base: post.permalink)).html.contains("https://cafe.example.org/p/1/img/x.jpg"))
        #expect(post.summary == "Le résumé")
        #expect(post.tags == ["café", "news"])
    }

    @Test func rss091WithItsDTDAndHTMLEntities() throws {
        let feed = try read(
            """
            <?xml version="1.0"?>
            <!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
            <rss version="0.91"><channel><title>Old&nbsp;School</title><link>https://old.example.org/</link>
            <description>d</description><language>en-us</language>
            <item><title>One</title><link>https://old.example.org/1.html</link><description>first&eacute;</description></item>
            </channel></rss>
            """)
        #expect(feed.format == .rss2)
        #expect(feed.title == "Old School" || feed.title == "Old\u{A0}School", "\(feed.title.debugDescription)")
        #expect(feed.entries.count == 1)
        #expect(feed.entries[0].id == "https://old.example.org/1.html")
        #expect(feed.entries[0].date == nil)
    }

    @Test func rss1RDF() throws {
        let feed = try read(
            """
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
                     xmlns:dc="http://purl.org/dc/elements/1.1/">
              <channel rdf:about="https://rdf.example.org/"><title>RDF site</title><link>https://rdf.example.org/</link>
                <description>x</description><dc:language>ja</dc:language></channel>
              <item rdf:about="https://rdf.example.org/a"><title>A</title><link>https://rdf.example.org/a</link>
                <dc:date>2024-05-03T01:02:03+09:00</dc:date><dc:subject>tech</dc:subject><dc:creator>Ken</dc:creator>
                <description>aaa</description></item>
            </rdf:RDF>
            """)
        #expect(feed.format == .rss1)
        #expect(feed.language == "ja")
        #expect(feed.entries.map(\.id) == ["https://rdf.example.org/a"])
        #expect(feed.entries[0].date == utc(2024, 5, 2, 16, 2, 3))
        #expect(feed.entries[0].tags == ["tech"])
        #expect(feed.entries[0].author == "Ken")
    }

    @Test func jsonFeed10And11() throws {
        let feed = try read(
            """
            {"version": "https://jsonfeed.org/version/1.1", "title": "JSON Blog", "home_page_url": "https://json.example.org/",
             "language": "en-GB", "authors": [{"name": "Jo"}],
             "items": [
               {"id": "1", "url": "https://json.example.org/1/", "title": "One", "content_html": "<p>One <a href=\\"/x\\">x</a></p>",
                "summary": "First", "date_published": "2024-05-03T10:00:00Z", "tags": ["a", "b"], "image": "/c.png"},
               {"id": 2, "url": "https://json.example.org/2/", "content_text": "Two\\n\\nparas", "date_modified": "2024-05-04T10:00:00+01:00"}
             ]}
            """)
        #expect(feed.format == .jsonFeed)
        #expect(feed.title == "JSON Blog")
        #expect(feed.language == "en-GB")
        #expect(feed.author == "Jo")
        #expect(feed.entries.map(\.id) == ["1", "2"])
        #expect(feed.entries[0].cover?.absoluteString == "https://json.example.org/c.png")
        #expect(feed.entries[1].date == utc(2024, 5, 4, 9))
        #expect(feed.entries[1].contentHTML == "<p>Two</p>\n<p>paras</p>")
        let old = try read(
            """
            {"version": "https://jsonfeed.org/version/1", "title": "Old", "author": {"name": "Al"},
             "items": [{"id": "x", "content_text": "t"}]}
            """)
        #expect(old.author == "Al")
        #expect(old.entries[0].link == nil)
    }

    @Test func entriesWithoutIDOrDateKeepAStableIDAndTakeTheFirstSeenTime() throws {
        let text = """
            <rss version="2.0"><channel><title>t</title><link>https://n.example.org/</link>
            <item><title>No id</title><description>Body one</description></item>
            <item><title>No id either</title><description>Body two</description></item>
            </channel></rss>
            """
        let once = try read(text)
        let twice = try read(text)
        #expect(once.entries.count == 2)
        #expect(once.entries.map(\.id) == twice.entries.map(\.id))
        #expect(once.entries[0].id != once.entries[1].id)
        let seen = utc(2025, 1, 2, 3)
        let post = once.entries[0].post(in: once, publication: try ScratchPublication().publication, firstSeen: seen)
        #expect(post.date == seen)
    }

    @Test func duplicateIDsKeepTheFirstAndSaySo() throws {
        let feed = try read(
            """
            <rss version="2.0"><channel><title>t</title><link>https://d.example.org/</link>
            <item><title>New</title><guid>same</guid></item><item><title>Old</title><guid>same</guid></item>
            </channel></rss>
            """)
        #expect(feed.entries.map(\.title) == ["New"])
        #expect(feed.notes.count == 1)
        #expect(feed.notes[0].contains("same"))
    }

    /// `uniqued` keeps a feed without repeated ids as it is (no copy) and otherwise walks
    /// it: both ways held to the plain rule, first of each id kept in order, a note per repeat.
    @Test func uniquedMatchesThePlainRuleWithAndWithoutRepeats() throws {
        var random = TestRandom.seeded("FeedReaderTests.uniqued")
        for round in 0..<60 {
            let count = Int.random(in: 0...30, using: &random)
            let pool = round.isMultiple(of: 3) ? 1_000 : Int.random(in: 1...40, using: &random)
            let ids = (0..<count).map { _ in "id-\(Int.random(in: 0..<pool, using: &random))" }
            let items = ids.enumerated().map { "<item><title>T\($0.offset)</title><guid>\($0.element)</guid></item>" }
            let feed = try read(
                "<rss version=\"2.0\"><channel><title>t</title><link>https://d.example.org/</link>\(items.joined())</channel></rss>")
            var seen = Set<String>()
            let kept = ids.indices.filter { seen.insert(ids[$0]).inserted }.map { "T\($0)" }
            #expect(feed.entries.map(\.title) == kept, "seed \(random.seed), round \(round): \(ids)")
            #expect(feed.notes.count == count - kept.count, "seed \(random.seed), round \(round)")
        }
    }

    // MARK: Hostile and broken documents

    func refusal(_ text: String) -> FeedReadError? {
        refusal(Array(text.utf8))
    }

    func refusal(_ bytes: [UInt8], maxBytes: Int = FeedReader.defaultMaxBytes) -> FeedReadError? {
        do {
            _ = try FeedReader.read(bytes, url: Self.url, maxBytes: maxBytes)
            return nil
        } catch { return error }
    }

    @Test func notXML() {
        let error = refusal("Hello, this is plain text")
        #expect(error?.description.contains("not a feed") == true)
        #expect(error?.exitStatus == .dataError)
        #expect(refusal("")?.description.contains("empty") == true)
        #expect(refusal([0, 1, 2, 0xFF, 0xFE]) != nil)
    }

    @Test func truncated() {
        let error = refusal(#"<rss version="2.0"><channel><title>t</title><item><title>cut"#)
        #expect(error?.description.contains("not a feed") == true)
        #expect(error?.line != nil)
    }

    @Test func billionLaughsIsRefusedWithoutExpandingAnything() {
        var doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY lol \"lol\">\n"
        for n in 1...9 {
            doc += "<!ENTITY lol\(n) \"" + String(repeating: "&lol\(n == 1 ? "" : String(n - 1));", count: 10) + "\">\n"
        }
        doc += "]>\n<rss version=\"2.0\"><channel><title>&lol9;</title></channel></rss>"
        let clock = ContinuousClock()
        let start = clock.now
        let error = refusal(doc)
        #expect(clock.now - start < .seconds(2))
        #expect(error?.description.contains("entities") == true, "\(String(describing: error))")
    }

    @Test func externalEntitiesAreNeverFetched() {
        let error = refusal(
            """
            <?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <rss version="2.0"><channel><title>&xxe;</title></channel></rss>
            """)
        #expect(error?.description.contains("entities") == true)
    }

    @Test func htmlPretendingToBeAFeed() {
        let page = "<!DOCTYPE html><html><head><title>Blog</title></head><body><p>Hi</body></html>"
        #expect(refusal(page)?.description.contains("HTML page") == true)
        let xhtml = #"<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>"#
        #expect(refusal(xhtml)?.description.contains("HTML page") == true)
        #expect(refusal("<opml version=\"2.0\"><body/></opml>")?.description.contains("<opml>") == true)
    }

    @Test func jsonThatIsNotAJSONFeed() {
        #expect(refusal(#"{"hello": "world"}"#)?.description.contains("version") == true)
        #expect(refusal(#"{"version": "https://jsonfeed.org/version/1.1", "items": "#)?.description.contains("JSON") == true)
    }

    @Test func aFeedOverTheLimitIsRefusedUnread() {
        let item = "<item><title>x</title><description>" + String(repeating: "y", count: 1000) + "</description></item>"
        let big = "<rss version=\"2.0\"><channel><title>t</title>" + String(repeating: item, count: 50_000) + "</channel></rss>"
        #expect(big.utf8.count > 50_000_000)
        let error = refusal(Array(big.utf8))
        #expect(error?.description.contains("larger than 16 MiB") == true)
    }

    @Test func controlCharactersAndNULAreNotAFeed() {
        #expect(refusal("<rss version=\"2.0\"><channel><title>a\u{0}b</title></channel></rss>") != nil)
    }
}

@Suite struct FeedDateTests {
    @Test(arguments: [
        ("Mon, 02 Jan 2006 15:04:05 -0700", utc(2006, 1, 2, 22, 4, 5)),
        ("Mon, 2 Jan 2006 15:04:05 GMT", utc(2006, 1, 2, 15, 4, 5)),
        ("02 Jan 2006 15:04 +0000", utc(2006, 1, 2, 15, 4)),
        ("Monday, 02 January 2006 15:04:05 PST", utc(2006, 1, 2, 23, 4, 5)),
        ("Mon, 02 Jan 06 15:04:05 Z", utc(2006, 1, 2, 15, 4, 5)),
        ("Mon,02 Jan 2006 15:04:05 +01:00", utc(2006, 1, 2, 14, 4, 5)),
        ("Mon, 02 Jan 2006 15:04:05 +0000 (UTC)", utc(2006, 1, 2, 15, 4, 5)),
        ("Mon, 02 Jan 2006", utc(2006, 1, 2)),
        ("2006-01-02T15:04:05Z", utc(2006, 1, 2, 15, 4, 5)),
        ("2006-01-02T15:04:05.123+08:00", Date(timeIntervalSince1970: utc(2006, 1, 2, 7, 4, 5).timeIntervalSince1970 + 0.123)),
        ("2006-01-02", utc(2006, 1, 2)),
    ])
    func reads(_ text: String, _ expected: Date) {
        #expect(FeedDate.parse(text)?.date == expected)
    }

    @Test(arguments: ["", "yesterday", "Mon, 31 Feb 2006 10:00:00 GMT", "2006-13-01T00:00:00Z", "Mon, 02 Foo 2006"])
    func refuses(_ text: String) {
        #expect(FeedDate.parse(text) == nil)
    }

    /// The byte-level reader against what Foundation writes: random instants, every zone
    /// form, with and without weekday and seconds, full and short names, two-digit years.
    @Test func readsWhatFoundationWritesInEveryVariant() {
        var random = TestRandom(seed: 822)
        let formats = [
            "EEE, dd MMM yyyy HH:mm:ss Z", "EEE, d MMM yyyy HH:mm:ss xxx", "dd MMM yyyy HH:mm Z", "EEEE, dd MMMM yyyy HH:mm:ss Z",
            "EEE, dd MMM yy HH:mm:ss Z", "EEE,dd MMM yyyy HH:mm:ss xx", "MMM dd yyyy HH:mm:ss Z", "EEE, dd MMM yyyy HH:mm:ss 'GMT'",
        ]
        let zones = ["UTC", "Asia/Shanghai", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"]
        for _ in 0..<400 {
            // Whole minutes between 1970 and 2049 (two-digit years read as 1950–2049).
            let date = Date(timeIntervalSince1970: Double(Int.random(in: 0..<(2_500_000_000 / 60), using: &random) * 60))
            let format = formats.randomElement(using: &random)!
            let writer = DateFormatter()
            writer.locale = Locale(identifier: "en_US_POSIX")
            writer.timeZone =
                format.hasSuffix("'GMT'") ? TimeZone(identifier: "UTC") : TimeZone(identifier: zones.randomElement(using: &random)!)
            writer.dateFormat = format
            let text = writer.string(from: date)
            #expect(FeedDate.parse(text)?.date == date, "\(text) (\(format))")
        }
    }

    @Test(
        arguments: [
            ("Mon, 02 Jan 2006 15:04:05 +0000 trailing", utc(2006, 1, 2, 15, 4, 5)),
            ("星期一, 02 Jan 2006 15:04:05 GMT", utc(2006, 1, 2, 15, 4, 5)),
            ("Mon, 02 Jan 2006 15:04:05 +2500", utc(2006, 1, 2, 15, 4, 5)),
            ("Mon, 02 Jan 2006 25:04:05 GMT", nil), ("Mon, 02 Jan 2006 15:04:05:07 GMT", nil),
            ("Mon, 02 Jan 2006 15:x:05 GMT", nil), ("Mon, 0 Jan 2006", nil), ("Mon, 02 Jan -2006", nil),
            ("\u{0}Mon, 02 Jan 2006", nil), ("Mon, 02 Jan 2006 1234567890:00", nil), ("Mon, +2 Jan 2006", nil),
        ] as [(String, Date?)])
    func hostileVariants(_ text: String, _ expected: Date?) {
        #expect(FeedDate.parse(text)?.date == expected)
    }
}

@Suite struct FeedURLTests {
    /// The shortcut for links that need no encoding against Foundation's encoder, for every
    /// single byte and for random strings mixing ASCII, Chinese and spaces.
    @Test func percentEncodingMatchesFoundation() {
        var samples = (0..<128).map { String(UnicodeScalar(UInt8($0))) }
        var random = TestRandom(seed: 3986)
        let pieces = ["a", "/", "?", "=", "&", "%20", "%", " ", "é", "字", "\"", "<", "{", "|", "#", "~", "\u{7F}", "\t"]
        for _ in 0..<500 {
            samples.append((0..<Int.random(in: 1...12, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined())
        }
        for sample in samples {
            #expect(
                FeedReader.percentEncoded(sample) == sample.addingPercentEncoding(withAllowedCharacters: FeedReader.allowedInURL),
                "\(sample.debugDescription)")
        }
    }
}
