import Foundation
import HeraldBase
import HeraldConfig
import HeraldContent
import HeraldTestSupport
import Testing

@testable import HeraldFeeds

/// Feeds republished from another site's feed: the source's ids kept, and the build's
/// record comparing the feed's bytes instead of a posts folder.
@Suite struct FetchedSourceFeedsTests {
    let dir: TempDir
    let pub: Publication
    var out: URL { dir.url.appendingPathComponent("public") }
    static let feedURL = "https://blog.example.net/feed.xml"

    init() throws {
        dir = try TempDir()
        pub = try Fixture.publication(in: dir, "source: \(Self.feedURL)\nfeeds:\n  entries: 0")
    }

    /// Entries as the feed-source loader makes them: the entry's id as `source`.
    var entries: [Post] {
        let ids: [(id: String, n: Int)] = [("urn:uuid:6c0e1d2a-0001", 1), ("42", 2), ("tag:blog.example.net,2023:/third", 3)]
        return ids.map { id, n in
            let post = Fixture.post(n, tags: [])
            let meta = post.meta
            return Post(
                meta: PostMeta(
                    source: id, title: meta.title, slug: meta.slug, permalink: meta.permalink, date: meta.date,
                    utcOffset: meta.utcOffset, updated: meta.updated, author: meta.author, description: nil,
                    summaryOverride: nil, categories: [], tags: [], cover: nil, draft: false),
                html: "<p>Entry \(n)</p>", text: "Entry \(n)", summary: "Entry \(n)")
        }
    }

    func build(_ posts: [Post], bytes: [UInt8]) throws -> BuildReport {
        try FeedBuilder(
            publication: pub, source: MemorySource(posts: posts),
            options: .init(
                output: out, stateDirectory: Fixture.state(for: out), now: Date(timeIntervalSince1970: 2_000_000_000),
                fetched: FetchedInput(name: Self.feedURL, bytes: bytes))
        ).build()
    }

    @Test func keepsTheSourcesIDsWhereTheyAreIRIs() throws {
        _ = try build(entries, bytes: Array("v1".utf8))
        let permalink = Fixture.base.appendingPathComponent("posts/weekly-2/").absoluteString
        let ids = ["tag:blog.example.net,2023:/third", permalink, "urn:uuid:6c0e1d2a-0001"]
        let atom = try ParsedFeed(out.appendingPathComponent("atom.xml"))
        #expect(try atom.strings("/*[local-name()='feed']/*[local-name()='entry']/*[local-name()='id']") == ids)
        let rss = try ParsedFeed(out.appendingPathComponent("rss.xml"))
        #expect(try rss.strings("/rss/channel/item/guid") == ids)
        #expect(try rss.strings("/rss/channel/item/guid/@isPermaLink") == ["false", "true", "false"])
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("feed.json"))) as! [String: Any]
        #expect((json["items"] as! [[String: Any]]).map { $0["id"] as! String } == ids)
    }

    @Test func theSameBytesAreUpToDateAndNewBytesRebuild() throws {
        let first = try build(entries, bytes: Array("v1".utf8))
        #expect(!first.upToDate && first.feedsWritten == 3)
        let atom = try Data(contentsOf: out.appendingPathComponent("atom.xml"))
        #expect(try build(entries, bytes: Array("v1".utf8)).upToDate)
        let changed = try build(Array(entries.prefix(2)), bytes: Array("v2".utf8))
        #expect(!changed.upToDate && changed.postsPublished == 2)
        #expect(try Data(contentsOf: out.appendingPathComponent("atom.xml")) != atom)
    }

    @Test func aFeedThatEmptiedIsRefusedNamingTheFeed() throws {
        _ = try build(entries, bytes: Array("v1".utf8))
        let atom = try Data(contentsOf: out.appendingPathComponent("atom.xml"))
        #expect {
            try build([], bytes: Array("v2".utf8))
        } throws: { error in
            "\(error)".contains("\(Self.feedURL) has no published post")
        }
        #expect(try Data(contentsOf: out.appendingPathComponent("atom.xml")) == atom)
    }
}
