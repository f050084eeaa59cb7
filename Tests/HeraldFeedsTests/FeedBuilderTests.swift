import Foundation
import HeraldBase
import HeraldConfig
import HeraldContent
import HeraldTestSupport
import Testing

@testable import HeraldFeeds

/// The build as a whole: which feeds exist, determinism, skipping, atomic replacement.
@Suite struct FeedBuilderTests {
    let dir: TempDir
    let pub: Publication
    var out: URL { dir.url.appendingPathComponent("public") }

    init() throws {
        dir = try TempDir()
        pub = try Fixture.publication(in: dir, "feeds:\n  entries: 3")
    }

    func files(_ root: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let e = FileManager.default.enumerator(atPath: root.path)!
        while let rel = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: root.appendingPathComponent(rel).path, isDirectory: &isDir), !isDir.boolValue {
                result[rel] = try Data(contentsOf: root.appendingPathComponent(rel))
            }
        }
        return result
    }

    func mtime(_ rel: String) throws -> Date {
        try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent(rel).path)[.modificationDate] as! Date
    }

    /// Changes the posts folder on disk, which is what the fingerprint watches.
    func touchPosts(_ name: String = "a.md") throws { try dir.write("pub/posts/\(name)", UUID().uuidString) }

    var posts: [Post] {
        [
            Fixture.post(1, tags: ["SOFA Weekly", "开源之夏"]), Fixture.post(2, tags: ["SOFA Weekly"]),
            Fixture.post(3, tags: ["Layotto", "SOFA Weekly"]), Fixture.post(4, tags: []),
            Fixture.post(5, tags: ["SOFA Weekly"]), Fixture.post(6, tags: ["SOFA Weekly"]),
            Fixture.post(7, draft: true), Fixture.post(8, date: Date(timeIntervalSince1970: 2_100_000_000)),
        ]
    }

    @Test func writesMainTagAndCategoryFeedsWithNewestEntries() throws {
        let report = try Fixture.build(pub, posts, out: out)
        let written = try files(out).keys.filter { $0.hasSuffix(".xml") }.sorted()
        #expect(
            written == [
                "atom.xml", "categories/周报/atom.xml", "categories/周报/rss.xml", "rss.xml",
                "tags/layotto/atom.xml", "tags/layotto/rss.xml", "tags/sofa-weekly/atom.xml",
                "tags/sofa-weekly/rss.xml", "tags/开源之夏/atom.xml", "tags/开源之夏/rss.xml",
            ])
        // Each folder has its JSON Feed too, and nothing else is published (no build record)
        // but the stylesheet and each feed's page that show the feeds in a browser.
        let feeds = written.flatMap {
            $0.hasSuffix("atom.xml") ? [$0, $0.replacingOccurrences(of: "atom.xml", with: "feed.json")] : [$0]
        }
        #expect(try files(out).keys.sorted() == (feeds + feeds.map(SiteLayout.Name.feedPage) + ["feed.xsl"]).sorted())
        #expect(report.feedsWritten == written.count / 2 * 3)
        #expect(report.postsLoaded == posts.count)
        #expect(report.postsPublished == 6) // not the draft, not the future post
        let main = try ParsedFeed(out.appendingPathComponent("rss.xml"))
        #expect(try main.strings("//item/link").map { URL(string: $0)!.lastPathComponent } == ["weekly-6", "weekly-5", "weekly-4"])
        let tag = try ParsedFeed(out.appendingPathComponent("tags/sofa-weekly/atom.xml"))
        #expect(try tag.count("//*[local-name()='entry']") == 3)
        #expect(try tag.strings("/*/*[local-name()='link'][@rel='self']/@href") == ["https://weekly.example.org/tags/sofa-weekly/atom.xml"])
        let zh = try ParsedFeed(out.appendingPathComponent("tags/开源之夏/rss.xml"))
        #expect(
            try zh.strings("//*[local-name()='link'][@rel='self']/@href")
                == ["https://weekly.example.org/tags/%E5%BC%80%E6%BA%90%E4%B9%8B%E5%A4%8F/rss.xml"])
    }

    @Test func entriesZeroMeansAll() throws {
        let all = try Fixture.publication(in: dir, "feeds:\n  entries: 0")
        _ = try Fixture.build(all, posts, out: out)
        #expect(try ParsedFeed(out.appendingPathComponent("atom.xml")).count("//*[local-name()='entry']") == 6)
    }

    @Test func samePostsGiveIdenticalBytes() throws {
        let other = dir.url.appendingPathComponent("again")
        var rng = TestRandom.seeded("FeedBuilderTests.samePostsGiveIdenticalBytes")
        _ = try Fixture.build(pub, posts, out: out)
        _ = try Fixture.build(pub, posts.shuffled(using: &rng), out: other)
        let a = try files(out)
        let b = try files(other)
        #expect(a.keys.sorted() == b.keys.sorted(), "\(rng.replay)")
        for (name, data) in a where name.hasSuffix(".xml") { #expect(b[name] == data, "\(name) differs; \(rng.replay)") }
    }

    @Test func noChangeRebuildCountsTheFeedsTheFirstBuildCounted() throws {
        try touchPosts()
        let first = try Fixture.build(pub, posts, out: out)
        let again = try Fixture.build(pub, posts, out: out)
        #expect(again.upToDate)
        #expect(again.feedsUnchanged == first.feedsWritten + first.feedsUnchanged)
    }

    @Test func noChangeRebuildTouchesNothing() throws {
        try touchPosts()
        _ = try Fixture.build(pub, posts, out: out)
        let before = try files(out)
        let stamp = try mtime("atom.xml")
        let report = try Fixture.build(pub, posts, out: out)
        #expect(report.upToDate)
        #expect(report.feedsWritten == 0)
        #expect(try files(out) == before)
        #expect(try mtime("atom.xml") == stamp)
    }

    @Test func changedInputsRewriteOnlyChangedFeeds() throws {
        _ = try Fixture.build(pub, posts, out: out)
        let layotto = try mtime("tags/layotto/atom.xml")
        var changed = posts
        changed[5] = Fixture.post(6, title: "新标题", tags: ["SOFA Weekly"])
        try touchPosts()
        let report = try Fixture.build(pub, changed, out: out)
        #expect(!report.upToDate)
        // Post 6 is in the main feed, the SOFA Weekly tag and the category: nine files.
        #expect(report.feedsWritten == 9)
        #expect(report.feedsUnchanged == 6)
        #expect(try mtime("tags/layotto/atom.xml") == layotto)
    }

    @Test func vanishedTagFeedIsRemovedAfterTheNewSet() throws {
        _ = try Fixture.build(pub, posts, out: out)
        try FileManager.default.createDirectory(at: out.appendingPathComponent("tags/mine"), withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: out.appendingPathComponent("tags/mine/notes.txt"))
        var retagged = posts
        retagged[2] = Fixture.post(3, tags: ["SOFA Weekly"])
        try touchPosts()
        let report = try Fixture.build(pub, retagged, out: out)
        #expect(report.feedsRemoved == 3)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("tags/layotto").path))
        // Files Herald did not write are never removed.
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("tags/mine/notes.txt").path))
    }

    @Test func invalidPostsPublishNothingWithoutSkipInvalid() throws {
        _ = try Fixture.build(pub, posts, out: out)
        let before = try files(out)
        try touchPosts()
        let problem = SourceProblem(path: "posts/bad.md", line: 3, message: "date \"2023-02-30\" is not a real day")
        #expect {
            try Fixture.build(pub, [Fixture.post(9)] + posts, out: out, scanProblems: [problem])
        } throws: { error in
            guard case .invalidPosts(let problems) = error as? BuildFailure else { return false }
            return problems == [problem]
        }
        #expect(try files(out) == before)
    }

    @Test func renderFailureAlsoPublishesNothing() throws {
        _ = try Fixture.build(pub, posts, out: out)
        let before = try files(out)
        try touchPosts()
        #expect(throws: BuildFailure.self) {
            try Fixture.build(pub, posts, out: out, failing: ["posts/weekly-5.md"])
        }
        #expect(try files(out) == before)
        // No temporary files are left behind either.
        #expect(try files(out).keys.allSatisfy { !$0.contains(".tmp-") })
    }

    @Test func skipInvalidPublishesTheRestAndReports() throws {
        let problem = SourceProblem(path: "posts/bad.md", line: 2, message: "missing required key \"title\"")
        let report = try Fixture.build(pub, posts, out: out, skipInvalid: true, scanProblems: [problem])
        #expect(report.problems == [problem.description])
        #expect(try ParsedFeed(out.appendingPathComponent("atom.xml")).count("//*[local-name()='entry']") == 3)
        // A build that skipped posts is never "up to date": its report is worth repeating.
        let again = try Fixture.build(pub, posts, out: out, skipInvalid: true, scanProblems: [problem])
        #expect(!again.upToDate)
        #expect(again.problems == [problem.description])
    }

    @Test func scheduledPostAppearsOnceItsDateHasCome() throws {
        let due = Date(timeIntervalSince1970: 2_100_000_000)
        _ = try Fixture.build(pub, posts, out: out, now: due.addingTimeInterval(-1))
        let later = try Fixture.build(pub, posts, out: out, now: due)
        #expect(!later.upToDate)
        #expect(try ParsedFeed(out.appendingPathComponent("rss.xml")).strings("//item/link").first?.hasSuffix("weekly-8/") == true)
    }

    @Test func zeroPostsGiveValidEmptyFeeds() throws {
        let report = try Fixture.build(pub, [], out: out)
        #expect(report.feedsWritten == 3)
        let atom = try ParsedFeed(out.appendingPathComponent("atom.xml"))
        #expect(try atom.count("//*[local-name()='entry']") == 0)
        #expect(try atom.count("/*/*[local-name()='updated']") == 1)
        #expect(try ParsedFeed(out.appendingPathComponent("rss.xml")).count("//item") == 0)
    }

    @Test func onePost() throws {
        _ = try Fixture.build(pub, [Fixture.post(1)], out: out)
        #expect(try ParsedFeed(out.appendingPathComponent("atom.xml")).count("//*[local-name()='entry']") == 1)
        #expect(try ParsedFeed(out.appendingPathComponent("tags/sofa-weekly/rss.xml")).count("//item") == 1)
    }

    @Test func moreFeedFoldersThanOnePassWrites() throws {
        // Each pass writes at most FeedBuilder.plansPerPass folders (two open files each).
        let tagCount = FeedBuilder<MemorySource>.plansPerPass + 50
        let many = (0..<tagCount).map { Fixture.post($0, tags: ["tag \($0)", "SOFA Weekly"]) }
        let report = try Fixture.build(pub, many, out: out, now: .distantFuture)
        #expect(report.feedsWritten == 3 * (1 + tagCount + 1 + 1))
        for n in [0, tagCount / 2, tagCount - 1] {
            let feed = try ParsedFeed(out.appendingPathComponent("tags/tag-\(n)/rss.xml"))
            #expect(try feed.strings("//item/link").map { URL(string: $0)!.lastPathComponent } == ["weekly-\(n)"])
        }
        #expect(try ParsedFeed(out.appendingPathComponent("tags/sofa-weekly/atom.xml")).count("//*[local-name()='entry']") == 3)
    }

    @Test func tenThousandPosts() throws {
        let all = try Fixture.publication(in: dir, "feeds:\n  entries: 0")
        let many = (0..<10_000).map { Fixture.post($0, tags: ["t\($0 % 50)", "SOFA Weekly"]) }
        let report = try Fixture.build(all, many, out: out, now: .distantFuture)
        #expect(report.postsPublished == 10_000)
        #expect(report.feedsWritten == 3 * (1 + 51 + 1))
        #expect(try ParsedFeed(out.appendingPathComponent("rss.xml")).count("//item") == 10_000)
        #expect(try ParsedFeed(out.appendingPathComponent("tags/t7/atom.xml")).count("//*[local-name()='entry']") == 200)
    }
}
