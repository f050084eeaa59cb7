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
        #expect(cache.count == 3)
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
        #expect(ScanCache.load(folder: state, key: key).count == 0)
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
        func cache(_ entry: ScanCache.Entry, racyFrom: Int64) throws -> ScanCache {
            let folder = scratch.dir.url.appendingPathComponent("racy-\(UUID().uuidString)")
            try ScanCache.load(folder: folder, key: [1]).save([entry])
            return ScanCache.load(folder: folder, key: [1], now: racyFrom, racyMargin: 0)
        }
        let old = try cache(entry(digestOf: bytes), racyFrom: 0)
        let found = try #require(old.entry(for: file.path, in: AT_FDCWD, stampedAs: file.path))
        #expect(found.meta == meta)
        #expect(found.digest != nil, "still racy: the digest is kept")
        var other = bytes
        other[other.count - 2] ^= 1
        #expect(try cache(entry(digestOf: other), racyFrom: 0).entry(for: file.path, in: AT_FDCWD, stampedAs: file.path) == nil)
        // Once the stamp is older than the margin, the stamp proves the bytes and the digest goes.
        let aged = try cache(entry(digestOf: bytes), racyFrom: .max).entry(for: file.path, in: AT_FDCWD, stampedAs: file.path)
        #expect(aged != nil && aged?.digest == nil)
        // Without a digest, a stamp that differs in any part is no match.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000)], ofItemAtPath: file.path)
        #expect(old.entry(for: file.path, in: AT_FDCWD, stampedAs: file.path) == nil)
    }

    /// The log: a scan that read one file again appends that entry and leaves the others'
    /// bytes where they are; one that would leave more superseded entries than live ones
    /// writes the log anew; a segment cut short, or appended under other inputs, makes the
    /// whole cache unusable.
    @Test func changedEntriesAreAppendedAndTheLogIsCompacted() throws {
        let cachePath = state.appendingPathComponent(ScanCache.fileName).path
        // Stamps prove the bytes: no entry's digest ages out between two scans of a slow run.
        func loader(cached: Bool) -> PostLoader {
            var loader = self.loader(cached: cached)
            loader.cacheRacyMargin = 0
            return loader
        }
        let key = ScanCache.key(publication: scratch.publication, workingDirectory: scratch.dir.path + "/", branches: [])
        let plain = loader(cached: false).scan()
        _ = loader(cached: true).scan()
        let first = try Data(contentsOf: URL(fileURLWithPath: cachePath))
        let inode = FileStamp.of(cachePath).inode
        // Nothing changed: nothing written.
        _ = loader(cached: true).scan()
        #expect(try Data(contentsOf: URL(fileURLWithPath: cachePath)) == first)
        try scratch.post("2024/c.md", "title: 子目录 改\ndate: 2024-04-01T08:00:00Z")
        let edited = loader(cached: false).scan()
        #expect(loader(cached: true).scan().metas == edited.metas)
        let appended = try Data(contentsOf: URL(fileURLWithPath: cachePath))
        #expect(appended.prefix(first.count) == first, "the entries kept are not rewritten")
        #expect(appended.count > first.count && appended.count < first.count * 2)
        #expect(FileStamp.of(cachePath).inode == inode)
        #expect(ScanCache.load(folder: state, key: key).count == 3)
        #expect(loader(cached: true).scan().metas == edited.metas)
        // Three live entries; superseded records pile up until they outnumber them.
        for n in 0..<4 {
            // Each a size of its own: the stamp alone must tell them apart (no racy margin here).
            try scratch.post("2024/c.md", "title: 子目录 \(String(repeating: "改", count: n + 2))\ndate: 2024-04-01T08:00:00Z")
            _ = loader(cached: true).scan()
        }
        let compacted = try Data(contentsOf: URL(fileURLWithPath: cachePath))
        #expect(compacted.count < first.count + (appended.count - first.count) * 3, "the log was written anew")
        #expect(loader(cached: true).scan().metas == loader(cached: false).scan().metas)
        #expect(plain.metas.count == 3)
        // A segment under another key (another herald.yml), then one cut short: neither is trusted.
        let foreign = scratch.dir.url.appendingPathComponent("foreign")
        let meta = try #require(plain.metas.first)
        let post = scratch.dir.url.appendingPathComponent(meta.source).path
        try ScanCache.load(folder: foreign, key: [9]).save([
            ScanCache.Entry(stamp: FileStamp.of(post), digest: nil, meta: meta, slugLine: 2)
        ])
        let foreignBytes = try Data(contentsOf: foreign.appendingPathComponent(ScanCache.fileName))
        #expect(ScanCache.load(folder: foreign, key: [9]).count == 1)
        let segment = foreignBytes.dropFirst(ScanCache.magic.utf8.count + 2)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: cachePath))
        try (bytes + segment).write(to: URL(fileURLWithPath: cachePath))
        #expect(ScanCache.load(folder: state, key: key).count == 0)
        bytes.removeLast(1)
        try bytes.write(to: URL(fileURLWithPath: cachePath))
        #expect(ScanCache.load(folder: state, key: key).count == 0)
        #expect(loader(cached: true).scan().metas == loader(cached: false).scan().metas)
        #expect(ScanCache.load(folder: state, key: key).count == 3, "rebuilt")
    }

    /// A cache file larger than any Herald writes (here a sparse 2 GB one), or a folder in its
    /// place, is passed over, not read into memory; the scan reads the posts and writes a new one.
    @Test func aHugeOrOddCacheIsPassedOver() throws {
        let key = ScanCache.key(publication: scratch.publication, workingDirectory: scratch.dir.path + "/", branches: [])
        let path = state.appendingPathComponent(ScanCache.fileName).path
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        #expect(truncate(path, 2 << 30) == 0)
        #expect(ScanCache.load(folder: state, key: key).count == 0)
        #expect(loader(cached: true).scan().metas == loader(cached: false).scan().metas)
        #expect(ScanCache.load(folder: state, key: key).count == 3)
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        #expect(ScanCache.load(folder: state, key: key).count == 0)
        #expect(loader(cached: true).scan().metas == loader(cached: false).scan().metas)
    }
}
