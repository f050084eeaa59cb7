import Foundation
import HeraldBase
import HeraldConfig
import HeraldContent
import HeraldTestSupport
import Testing

@testable import HeraldFeeds

/// A build that reuses the scan cache must write, byte for byte, what a cold build of
/// the same posts into an empty folder writes. Random steps (the seed is printed; set
/// `HERALD_TEST_SEED` to repeat a run) add, edit, rename, delete and back-date posts,
/// touch them, put one byte back with the old size and mtime, change herald.yml and the
/// feeds' stylesheet, and damage the scan cache;
/// after each, every output file is compared with a cold build's. Some posts link to
/// others with `ref`, whose output then depends on the other file; with entries proven by
/// stamp, the builds must also leave some feeds alone (`FeedMemo`), so a feed skipped
/// that should have changed shows as a difference.
@Suite struct IncrementalBuildTests {
    let dir: TempDir
    let now = Date(timeIntervalSince1970: 1_750_000_000)

    init() throws {
        dir = try TempDir()
        try writeConfig(entries: 6)
    }

    var posts: URL { dir.url.appendingPathComponent("pub/posts") }
    var state: URL { dir.url.appendingPathComponent("state") }
    var cachePath: String { state.appendingPathComponent(ScanCache.fileName).path }
    var entryCachePath: String { state.appendingPathComponent(FeedEntryCache.fileName).path }

    func writeConfig(entries: Int, title: String = "SOFA 周报") throws {
        try dir.write(
            "pub/herald.yml",
            """
            title: "\(title)"
            base_url: https://weekly.example.org/
            language: zh-CN
            timezone: Asia/Shanghai
            feeds:
              entries: \(entries)
              archive: 4
              content: full
            """)
    }

    var publication: Publication { get throws { try Publication.load(from: dir.url.appendingPathComponent("pub").path) } }

    /// The incremental build: the same output and state folders every time. `trustStamps`:
    /// no racy margin, so entries are proven by their stamps alone, as they are for files
    /// older than the margin (safe here: a build takes longer than a clock tick).
    @discardableResult
    func build(trustStamps: Bool = false) throws -> BuildReport {
        let pub = try publication
        var loader = PostLoader(publication: pub, workingDirectory: dir.path, cacheFolder: state)
        if trustStamps { loader.cacheRacyMargin = 0 }
        var builder = FeedBuilder(
            publication: pub, source: loader,
            options: .init(output: dir.url.appendingPathComponent("out"), stateDirectory: state, now: now))
        if trustStamps { builder.memoRacyMargin = 0 }
        return try builder.build()
    }

    /// A cold build into an empty folder, with an empty state folder and no cache.
    func coldFiles() throws -> [String: Data] {
        let cold = try TempDir()
        let pub = try publication
        _ = try FeedBuilder(
            publication: pub, source: PostLoader(publication: pub, workingDirectory: dir.path),
            options: .init(
                output: cold.url.appendingPathComponent("out"), stateDirectory: cold.url.appendingPathComponent("state"), now: now)
        ).build()
        return try files(under: cold.url.appendingPathComponent("out"))
    }

    func files(under root: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let walker = FileManager.default.enumerator(atPath: root.path)
        while let relative = walker?.nextObject() as? String {
            var isDir: ObjCBool = false
            let path = root.appendingPathComponent(relative).path
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else { continue }
            result[relative] = try Data(contentsOf: URL(fileURLWithPath: path))
        }
        return result
    }

    var record: BuildRecord? { OutputSet(root: dir.url.appendingPathComponent("out"), stateDirectory: state).previous }

    /// Returns how many feeds the build left alone: those whose memo is the last build's.
    @discardableResult
    func expectSameAsCold(_ step: String, _ random: TestRandom, trustStamps: Bool = false) throws -> Int {
        let before = record?.feeds ?? [:]
        try build(trustStamps: trustStamps)
        let after = record?.feeds ?? [:]
        let incremental = try files(under: dir.url.appendingPathComponent("out"))
        let cold = try coldFiles()
        #expect(incremental.keys.sorted() == cold.keys.sorted(), "\(step) (\(random.replay))")
        for (name, bytes) in cold where incremental[name] != bytes {
            Issue.record("\(name) differs from a cold build after \(step) (\(random.replay))")
        }
        return after.filter { before[$0.key] == $0.value }.count
    }

    static let words = ["SOFARPC", "注册中心", "Layotto", "sidecar", "发布", "throughput", "选举", "Seata", "会议", "kernel"]
    static let tags = ["SOFA Weekly", "Serverless", "Mesh", "云原生", "RPC"]

    /// Posts `p-0` … `p-(count-1)`, titled by number, one a day from 2023-11-14.
    func writeDailyPosts(_ count: Int, tags: [String], random: inout TestRandom) throws {
        for id in 0..<count {
            try dir.write(
                "pub/posts/p-\(id).md",
                postText(
                    id, title: "第 \(id) 期", date: Date(timeIntervalSince1970: 1_700_000_000 + Double(id) * 86_400), tags: tags,
                    random: &random))
        }
    }

    func postText(_ id: Int, title: String, date: Date, tags: [String], refersTo: String? = nil, random: inout TestRandom) -> String {
        let paragraphs = (0..<Int.random(in: 1...4, using: &random)).map { _ in
            (0..<Int.random(in: 3...12, using: &random)).map { _ in Self.words.randomElement(using: &random)! }.joined(separator: " ")
        }
        var body = paragraphs.joined(separator: "\n\n")
        if Bool.random(using: &random) { body += "\n\n<!--more-->\n\n[相对链接](img/\(id).png) and **bold** <b>raw</b>" }
        if let refersTo { body += "\n\n[参见]({{< ref \"\(refersTo)\" >}})" }
        let stamp = ISO8601DateFormatter().string(from: date)
        return """
            ---
            title: "\(title) revision A"
            date: \(stamp)
            tags: [\(tags.map { "\"\($0)\"" }.joined(separator: ", "))]
            categories: "周报"
            ---
            \(body)

            """
    }

    /// Damages the scan cache as a crash, a full disk or another herald would: cut at a random
    /// byte, a byte flipped, garbage appended, or a record appended in the format of the
    /// cache (a length and bytes) without its segment's checksum; the next build must
    /// rebuild it, never trust it.
    func damageCache(_ random: inout TestRandom) throws -> String {
        // The scan cache or the kept feed entries.
        let entries = Bool.random(using: &random)
        let url = URL(fileURLWithPath: entries ? entryCachePath : cachePath)
        guard var bytes = try? Data(contentsOf: url), bytes.count > 64 else { return "nothing (no cache to damage)" }
        let at = Int.random(in: 32..<bytes.count, using: &random)
        let what: String
        switch Int.random(in: 0..<4, using: &random) {
        case 0:
            bytes = bytes.prefix(at)
            what = "cutting the cache at byte \(at)"
        case 1:
            bytes[at] ^= 0x10
            what = "flipping a bit of the cache's byte \(at)"
        case 2:
            bytes += Data((0..<Int.random(in: 1...200, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) })
            what = "appending garbage to the cache"
        default:
            var record = Data(count: 8)
            record[0] = 40
            bytes += Data(count: 8) + record + Data(repeating: 0x41, count: 40)
            what = "appending an unchecked segment to the cache"
        }
        try bytes.write(to: url)
        return what + (entries ? " (the entry cache)" : "")
    }

    /// Every kind of step a site sees, at random, each followed by the comparison; once
    /// with entries proven by digest (every file here is as new as the build), once by stamp.
    @Test(arguments: [false, true]) func randomStepsMatchAColdBuild(trustStamps: Bool) throws {
        var random = TestRandom.seeded("IncrementalBuildTests.randomStepsMatchAColdBuild(trustStamps: \(trustStamps))")
        var live: [Int: String] = [:] // post id → file name
        var nextID = 0
        func write(_ id: Int, name: String, date: Date? = nil) throws {
            let date = date ?? Date(timeIntervalSince1970: 1_700_000_000 + Double(Int.random(in: 0..<4_000_000, using: &random)))
            let tags = Array(Self.tags.shuffled(using: &random).prefix(Int.random(in: 1...3, using: &random)))
            // One post in six links to another, which may be renamed or deleted later.
            let refersTo = Int.random(in: 0..<6, using: &random) == 0 ? live.values.sorted().randomElement(using: &random) : nil
            let text = postText(
                id, title: "第 \(id) 期 \(Self.words.randomElement(using: &random)!)", date: date, tags: tags, refersTo: refersTo,
                random: &random)
            try dir.write("pub/posts/" + name, text)
        }
        for _ in 0..<30 {
            try write(nextID, name: "p-\(nextID).md")
            live[nextID] = "p-\(nextID).md"
            nextID += 1
        }
        try expectSameAsCold("the first build", random, trustStamps: trustStamps)
        var skipped = 0
        for step in 0..<40 {
            let id = live.keys.sorted().randomElement(using: &random)!
            let file = posts.appendingPathComponent(live[id]!)
            let what: String
            switch Int.random(in: 0..<11, using: &random) {
            case 0:
                try write(nextID, name: "p-\(nextID).md")
                live[nextID] = "p-\(nextID).md"
                what = "adding post \(nextID)"
                nextID += 1
            case 1:
                try write(id, name: live[id]!)
                what = "rewriting post \(id)"
            case 2:
                let name = "renamed-\(id)-\(step).md"
                try FileManager.default.moveItem(at: file, to: posts.appendingPathComponent(name))
                live[id] = name
                what = "renaming post \(id) to \(name)"
            case 3 where live.count > 20:
                try FileManager.default.removeItem(at: file)
                live[id] = nil
                what = "deleting post \(id)"
            case 4:
                // Back-dated by a year: it leaves the newest entries of its feeds.
                try write(id, name: live[id]!, date: Date(timeIntervalSince1970: 1_600_000_000 + Double(step) * 3600))
                what = "back-dating post \(id)"
            case 5:
                // One byte of the title changed, the size and modification time put back:
                // only the change time tells.
                let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
                var bytes = try Data(contentsOf: file)
                let marker = try #require(bytes.firstRange(of: Data("revision ".utf8)))
                bytes[marker.upperBound] = bytes[marker.upperBound] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
                try bytes.write(to: file)
                try FileManager.default.setAttributes([.modificationDate: attributes[.modificationDate]!], ofItemAtPath: file.path)
                what = "changing one byte of post \(id), size and mtime kept"
            case 6:
                try FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: file.path)
                what = "touching post \(id)"
            case 7:
                try writeConfig(entries: Int.random(in: 3...12, using: &random), title: "周报 \(step)")
                what = "changing herald.yml"
            case 8:
                // The feeds' stylesheet is a template every feed names: all must follow it.
                try dir.write("pub/templates/feed.xsl", "<!-- \(step) -->\n<xsl:stylesheet lang=\"{{language}}\"/>\n")
                what = "changing templates/feed.xsl"
            case 9:
                what = try damageCache(&random)
            default:
                what = "nothing"
            }
            skipped += try expectSameAsCold("step \(step), \(what)", random, trustStamps: trustStamps)
        }
        if trustStamps {
            #expect(skipped > 0, "no feed was left alone (\(random.replay))")
            #expect(FileManager.default.fileExists(atPath: entryCachePath), "no feed entry was kept (\(random.replay))")
        }
    }

    /// Each entry a build keeps (`FeedEntryCache`) is byte for byte what rendering its post
    /// again makes, the plain way; another stamp or other metadata finds none.
    @Test func keptEntriesAreWhatRenderingMakes() throws {
        var random = TestRandom.seeded("IncrementalBuildTests.keptEntriesAreWhatRenderingMakes")
        try writeDailyPosts(10, tags: ["RPC", "云原生"], random: &random)
        // A first build keeps no entries; one that writes every feed again keeps them all.
        try build(trustStamps: true)
        try FileManager.default.removeItem(at: dir.url.appendingPathComponent("out"))
        try build(trustStamps: true)
        let pub = try publication
        let loader = PostLoader(publication: pub, workingDirectory: dir.path)
        let scan = loader.scan()
        let settings = BuildFingerprint.compute(publication: pub, skipInvalid: false, stamps: [], sections: scan.sections ?? [])
        let cache = FeedEntryCache.load(folder: state, settings: settings)
        let context = FeedContext(publication: pub)
        let stamps = Dictionary((scan.stamps ?? []).map { (loader.shownPath($0.path), $0) }, uniquingKeysWith: { a, _ in a })
        var kept = 0
        for meta in scan.metas {
            let stamp = try #require(stamps[meta.source])
            let entry = try #require(cache.entry(for: meta, stamp: stamp), "no entry kept for \(meta.source)")
            kept += 1
            let post = try #require(loader.render([meta], parts: .web).posts.first)
            let plain = FeedEntryXML(FeedEntry(post, context: context), context: context)
            #expect(entry.atom.bytes == plain.atom.bytes, "\(meta.source)")
            #expect(entry.rss.bytes == plain.rss.bytes, "\(meta.source)")
            #expect(entry.json == plain.json && entry.page == plain.page, "\(meta.source)")
            let touched = FileStamp(
                path: stamp.path, readable: true, size: stamp.size, seconds: stamp.seconds, nanoseconds: stamp.nanoseconds,
                changeSeconds: stamp.changeSeconds, changeNanoseconds: stamp.changeNanoseconds + 1, device: stamp.device,
                inode: stamp.inode)
            #expect(cache.entry(for: meta, stamp: touched) == nil)
            let retitled = PostMeta(
                source: meta.source, title: meta.title + "!", slug: meta.slug, permalink: meta.permalink, date: meta.date,
                utcOffset: meta.utcOffset, updated: meta.updated, author: meta.author, description: meta.description,
                summaryOverride: meta.summaryOverride, categories: meta.categories, tags: meta.tags, cover: meta.cover,
                draft: meta.draft, publishDate: meta.publishDate, expiryDate: meta.expiryDate)
            #expect(cache.entry(for: retitled, stamp: stamp) == nil)
        }
        // Every post is on an archive page.
        #expect(kept == 10)
        #expect(
            FeedEntryCache.load(folder: state, settings: settings + "other").entry(for: scan.metas[0], stamp: stamps[scan.metas[0].source]!)
                == nil)
    }

    /// A cache cut short, overwritten with garbage or emptied is dropped and rebuilt.
    @Test func aDamagedCacheIsRebuiltNotTrusted() throws {
        var random = TestRandom.seeded("IncrementalBuildTests.aDamagedCacheIsRebuiltNotTrusted")
        try writeDailyPosts(12, tags: ["RPC"], random: &random)
        try expectSameAsCold("the first build", random)
        let whole = try Data(contentsOf: URL(fileURLWithPath: cachePath))
        #expect(!whole.isEmpty)
        let damages: [(String, Data)] = [
            ("cut in half", whole.prefix(whole.count / 2)),
            ("emptied", Data()),
            ("garbage", Data((0..<whole.count).map { _ in UInt8.random(in: 0...255, using: &random) })),
            (
                "one byte flipped",
                {
                    var d = whole
                    d[d.count / 2] ^= 0x20
                    return d
                }()
            ),
        ]
        for (damage, bytes) in damages {
            // A post changes too, so the build runs rather than being skipped as current.
            try dir.write(
                "pub/posts/p-0.md",
                postText(0, title: "第 0 期 \(damage)", date: Date(timeIntervalSince1970: 1_700_000_000), tags: ["RPC"], random: &random))
            try bytes.write(to: URL(fileURLWithPath: cachePath))
            try expectSameAsCold("a cache \(damage)", random)
            #expect(try Data(contentsOf: URL(fileURLWithPath: cachePath)) != bytes, "the cache \(damage) was written again")
        }
    }
}
