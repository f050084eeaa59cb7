import Foundation
import HeraldBase
import HeraldConfig
import HeraldContent
import HeraldTestSupport
import Testing

@testable import HeraldFeeds

/// RFC 5005 archive pages of the publication's feed (`feeds.archive`).
@Suite struct ArchivePagesTests {
    let dir: TempDir
    let pub: Publication
    var out: URL { dir.url.appendingPathComponent("public") }

    init() throws {
        dir = try TempDir()
        pub = try Fixture.publication(in: dir, "feeds:\n  entries: 2\n  archive: 3")
    }

    /// Posts 1…n, newest first as the builder passes them.
    func posts(_ n: Int) -> [Post] { (1...n).reversed().map { Fixture.post($0) } }

    @Test func pagesFillFromTheOldestPostAndEndWithAPartOrEmptyPage() throws {
        let seven = FeedPlanner.archivePlans(publication: pub, published: posts(7).map(\.meta))
        #expect(
            seven.map { $0.entries.map(\.slug) } == [
                ["weekly-3", "weekly-2", "weekly-1"],
                ["weekly-6", "weekly-5", "weekly-4"], ["weekly-7"],
            ])
        #expect(seven.map(\.files.atom) == ["1.xml", "2.xml", "3.xml"])
        #expect(seven.map { $0.archive?.prev } == [nil, 1, 2])
        #expect(seven.map { $0.archive?.next } == [2, 3, nil])
        // A full last page is followed by an empty one, so it already links to its successor.
        let six = FeedPlanner.archivePlans(publication: pub, published: posts(6).map(\.meta))
        #expect(six.map(\.entries.count) == [3, 3, 0])
        // The empty page is as old as the newest post of the full one before it, not 1970:
        // its bytes stay the same from build to build, and validators find the date plausible.
        let newest = posts(6).map(\.meta).max { $0.entryUpdated < $1.entryUpdated }!
        #expect(six[2].updated.date == newest.entryUpdated)
        #expect(six[1].updated.date == newest.entryUpdated)
        #expect(FeedPlanner.archivePlans(publication: pub, published: []).map(\.entries.count) == [0])
        let off = try Fixture.publication(in: dir, "feeds:\n  entries: 2")
        #expect(FeedPlanner.archivePlans(publication: off, published: posts(7).map(\.meta)).isEmpty)
    }

    @Test func linksAndHistoryElementInBothFormats() throws {
        _ = try Fixture.build(pub, posts(7), out: out)
        let main = try ParsedFeed(out.appendingPathComponent("atom.xml"))
        #expect(try main.strings("/*/*[local-name()='link'][@rel='prev-archive']/@href") == ["https://weekly.example.org/archive/3.xml"])
        #expect(try main.count("//*[local-name()='archive']") == 0)
        let middle = try ParsedFeed(out.appendingPathComponent("archive/2.xml"))
        #expect(try middle.strings("/*/*[local-name()='link'][@rel='prev-archive']/@href") == ["https://weekly.example.org/archive/1.xml"])
        #expect(try middle.strings("/*/*[local-name()='link'][@rel='next-archive']/@href") == ["https://weekly.example.org/archive/3.xml"])
        #expect(try middle.strings("/*/*[local-name()='link'][@rel='current']/@href") == ["https://weekly.example.org/atom.xml"])
        #expect(try middle.strings("/*/*[local-name()='link'][@rel='self']/@href") == ["https://weekly.example.org/archive/2.xml"])
        #expect(try middle.count("/*/*[local-name()='archive' and namespace-uri()='http://purl.org/syndication/history/1.0']") == 1)
        let rss = try ParsedFeed(out.appendingPathComponent("archive/1.rss"))
        #expect(
            try rss.strings("//channel/*[local-name()='link'][@rel='next-archive']/@href") == ["https://weekly.example.org/archive/2.rss"])
        #expect(try rss.strings("//channel/*[local-name()='link'][@rel='current']/@href") == ["https://weekly.example.org/rss.xml"])
        #expect(try rss.count("//channel/*[local-name()='link'][@rel='prev-archive']") == 0)
        #expect(try rss.count("//channel/*[local-name()='archive']") == 1)
        #expect(try rss.count("//item") == 3)
        // No JSON Feed for archive pages.
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("archive/1.json").path))
    }

    @Test func aNewPostRewritesOnlyTheNewestPageAndTheFeeds() throws {
        _ = try Fixture.build(pub, posts(7), out: out)
        func stamp(_ rel: String) throws -> Date {
            try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent(rel).path)[.modificationDate] as! Date
        }
        let full = try ["archive/1.xml", "archive/1.rss", "archive/2.xml", "archive/2.rss"].map { ($0, try stamp($0)) }
        try dir.write("pub/posts/a.md", UUID().uuidString)
        let report = try Fixture.build(pub, posts(8), out: out)
        for (rel, before) in full { #expect(try stamp(rel) == before, "\(rel) was rewritten") }
        // The newest page (2 formats) and the publication, tag and category feeds (3 each).
        #expect(report.feedsWritten == 2 + 3 * 3)
        #expect(try ParsedFeed(out.appendingPathComponent("archive/3.xml")).count("//*[local-name()='entry']") == 2)
    }
}
