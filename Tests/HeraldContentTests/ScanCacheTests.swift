import Foundation
import HeraldBase
import HeraldConfig
import HeraldTestSupport
import Testing

@testable import HeraldContent

/// The scan cache gives back exactly what parsing gives, and nothing it cannot prove current.
@Suite struct ScanCacheTests {
    let scratch: ScratchPublication
    var state: URL { scratch.dir.url.appendingPathComponent("state") }

    init() throws {
        scratch = try ScratchPublication()
        try scratch.post(
            "a.md",
            """
            title: "SOFA Weekly | 第 1 期"
            date: 2024-05-03T15:00:00+08:00
            lastmod: 2024-05-04
            tags: ["SOFA Weekly", "Mesh"]
            categories: 周报
            description: "  描述 "
            summary: 摘要
            cover: img/cover.png
            authorlink: https://example.org/me
            expiryDate: 2030-01-01
            """)
        try scratch.post("b.md", "title: 草稿\ndate: 2024-05-01\ndraft: true\nslug: caogao\nauthor: 李四")
        try scratch.post("2024/c.md", "title: 子目录\ndate: 2024-04-01T08:00:00Z\npublishDate: 2031-01-01")
        try scratch.post("bad.md", "title: 没有日期")
    }

    func loader(cached: Bool) -> PostLoader {
        PostLoader(publication: scratch.publication, workingDirectory: scratch.dir.path, cacheFolder: cached ? state : nil)
    }

    @Test func aCachedScanIsThePlainScan() throws {
        let plain = loader(cached: false).scan()
        let first = loader(cached: true).scan()
        let cache = ScanCache.load(
            folder: state, key: ScanCache.key(publication: scratch.publication, workingDirectory: scratch.dir.path + "/", branches: []))
        // Three posts kept; the one with a problem is read again every time.
        #expect(cache.entries.count == 3)
        let second = loader(cached: true).scan()
        for scan in [first, second] {
            #expect(scan.metas == plain.metas)
            #expect(scan.metas.map(\.permalink) == plain.metas.map(\.permalink))
            #expect(scan.problems == plain.problems)
            #expect(scan.stamps == plain.stamps)
        }
        #expect(plain.metas.count == 3)
    }

    @Test func otherInputsGiveAnotherKey() throws {
        let key = ScanCache.key(publication: scratch.publication, workingDirectory: "/a/", branches: [])
        #expect(key == ScanCache.key(publication: scratch.publication, workingDirectory: "/a/", branches: []))
        #expect(key != ScanCache.key(publication: scratch.publication, workingDirectory: "/b/", branches: []))
        #expect(key != ScanCache.key(publication: scratch.publication, workingDirectory: "/a/", branches: ["2024"]))
        try scratch.dir.write("herald.yml", "title: 新\nbase_url: https://weekly.example.org/\n")
        #expect(key != ScanCache.key(publication: scratch.publication, workingDirectory: "/a/", branches: []))
        // A cache made for one key is empty under another.
        _ = loader(cached: true).scan()
        #expect(ScanCache.load(folder: state, key: key).entries.isEmpty)
    }

    /// A file whose stamp is as new as the scan is kept with its digest, and used only
    /// while it still has those bytes: a write within the same clock tick keeps the stamp.
    @Test func aRacyEntryIsUsedOnlyWithTheBytesItWasMadeFrom() throws {
        let file = scratch.dir.url.appendingPathComponent("posts/a.md")
        let bytes = try Data(contentsOf: file)
        let stamp = FileStamp.of(file.path)
        let meta = try #require(loader(cached: false).scan().metas.first { $0.source == "posts/a.md" })
        func entry(digestOf content: Data) -> ScanCache.Entry {
            ScanCache.Entry(stamp: stamp, digest: content.withUnsafeBytes { ContentDigest($0) }, meta: meta, slugLine: 2)
        }
        func cache(_ entry: ScanCache.Entry, racyFrom: Int64) -> ScanCache {
            ScanCache(path: "", key: [], entries: [file.path: entry], racyFrom: racyFrom)
        }
        let old = cache(entry(digestOf: bytes), racyFrom: 0)
        let found = try #require(old.entry(for: file.path, in: AT_FDCWD, stampedAs: file.path))
        #expect(found.meta == meta)
        #expect(found.digest != nil, "still racy: the digest is kept")
        var other = bytes
        other[other.count - 2] ^= 1
        #expect(cache(entry(digestOf: other), racyFrom: 0).entry(for: file.path, in: AT_FDCWD, stampedAs: file.path) == nil)
        // Once the stamp is older than the margin, the stamp proves the bytes and the digest goes.
        let aged = cache(entry(digestOf: bytes), racyFrom: .max).entry(for: file.path, in: AT_FDCWD, stampedAs: file.path)
        #expect(aged != nil && aged?.digest == nil)
        // Without a digest, a stamp that differs in any part is no match.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000)], ofItemAtPath: file.path)
        #expect(old.entry(for: file.path, in: AT_FDCWD, stampedAs: file.path) == nil)
    }
}
