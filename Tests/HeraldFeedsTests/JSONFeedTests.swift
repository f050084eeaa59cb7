import Foundation
import HeraldBase
import HeraldConfig
import HeraldContent
import HeraldFeeds
import HeraldTestSupport
import Testing

/// `feed.json` (JSON Feed 1.1) as written by a build, read back with Foundation's parser.
@Suite struct JSONFeedTests {
    let dir: TempDir
    var out: URL { dir.url.appendingPathComponent("public") }

    init() throws { dir = try TempDir() }

    func document(_ rel: String) throws -> [String: Any] {
        let data = try Data(contentsOf: out.appendingPathComponent(rel))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func feedCarriesTheItemsNewestFirstWithTheirFields() throws {
        let pub = try Fixture.publication(in: dir, "feeds:\n  entries: 3")
        let posts = [
            Fixture.post(1, tags: ["SOFA Weekly", "开源之夏"], cover: URL(string: "https://img.example.org/1.jpg")),
            Fixture.post(2, title: "a <b> & \"q\"", html: "<p>x &amp; <em>y</em></p>"),
            Fixture.post(3), Fixture.post(4),
        ]
        _ = try Fixture.build(pub, posts, out: out)
        let feed = try document("feed.json")
        #expect(feed["version"] as? String == "https://jsonfeed.org/version/1.1")
        #expect(feed["title"] as? String == "SOFA 周报")
        #expect(feed["home_page_url"] as? String == "https://weekly.example.org/")
        #expect(feed["feed_url"] as? String == "https://weekly.example.org/feed.json")
        #expect(feed["language"] as? String == "zh-CN")
        #expect(feed["description"] as? String == "每周精选 & news")
        let authors = try #require(feed["authors"] as? [[String: Any]])
        #expect(authors.first?["name"] as? String == "SOFA 团队")
        let items = try #require(feed["items"] as? [[String: Any]])
        #expect(items.compactMap { $0["id"] as? String } == [4, 3, 2].map { "https://weekly.example.org/posts/weekly-\($0)/" })
        let second = items[2]
        #expect(second["title"] as? String == "a <b> & \"q\"")
        #expect(second["content_html"] as? String == "<p>x &amp; <em>y</em></p>")
        #expect(second["summary"] as? String == "第 2 期摘要")
        #expect(second["date_published"] as? String == InternetDates.rfc3339(posts[1].date, offset: 8 * 3600))
        #expect(second["tags"] as? [String] == ["周报", "SOFA Weekly"])
        #expect((second["authors"] as? [[String: Any]])?.first?["url"] as? String == "https://github.com/zhangsan")

        let tag = try document("tags/开源之夏/feed.json")
        let tagItems = try #require(tag["items"] as? [[String: Any]])
        #expect(tagItems.count == 1)
        #expect(tagItems[0]["image"] as? String == "https://img.example.org/1.jpg")
        #expect(tagItems[0]["tags"] as? [String] == ["周报", "SOFA Weekly", "开源之夏"])
        #expect(tag["feed_url"] as? String == "https://weekly.example.org/tags/%E5%BC%80%E6%BA%90%E4%B9%8B%E5%A4%8F/feed.json")
    }

    @Test func summaryModeGivesTextNotHTML() throws {
        let pub = try Fixture.publication(in: dir, "feeds:\n  content: summary")
        _ = try Fixture.build(pub, [Fixture.post(1)], out: out)
        let item = try #require((try document("feed.json")["items"] as? [[String: Any]])?.first)
        #expect(item["content_html"] == nil)
        #expect(item["content_text"] as? String == "第 1 期摘要")
    }

    @Test func jsonFalseWritesNoJSONFeed() throws {
        let pub = try Fixture.publication(in: dir, "feeds:\n  json: false")
        let report = try Fixture.build(pub, [Fixture.post(1)], out: out)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("feed.json").path))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("tags/sofa-weekly/feed.json").path))
        // Atom and RSS for the publication, its tag and its category.
        #expect(report.feedsWritten == 6)
    }

    @Test func emptyFeedIsAValidDocument() throws {
        let pub = try Fixture.publication(in: dir)
        _ = try Fixture.build(pub, [], out: out)
        #expect((try document("feed.json")["items"] as? [Any])?.isEmpty == true)
    }

    @Test func sameInputsGiveSameBytesWithSortedKeys() throws {
        let pub = try Fixture.publication(in: dir)
        let posts = (1...5).map { Fixture.post($0) }
        let other = dir.url.appendingPathComponent("again")
        var rng = TestRandom.seeded("JSONFeedTests.sameInputsGiveSameBytesWithSortedKeys")
        _ = try Fixture.build(pub, posts, out: out)
        _ = try Fixture.build(pub, posts.shuffled(using: &rng), out: other)
        let a = try Data(contentsOf: out.appendingPathComponent("feed.json"))
        #expect(a == (try Data(contentsOf: other.appendingPathComponent("feed.json"))), "\(rng.replay)")
        // Keys in order: what JSONEncoder's .sortedKeys gives, around the streamed items.
        let text = String(decoding: a, as: UTF8.self)
        let keys = ["\"authors\"", "\"description\"", "\"feed_url\"", "\"home_page_url\"", "\"items\"", "\"language\""]
        let places = keys.map { text.range(of: $0)!.lowerBound }
        #expect(places == places.sorted())
    }
}
