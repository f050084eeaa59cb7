import Foundation
import HeraldConfig
import HeraldContent
import HeraldTestSupport
import Testing

@testable import HeraldFeeds

/// The fingerprint must change with every input a build reads, and with nothing else.
@Suite struct BuildFingerprintTests {
    let dir: TempDir
    let pub: Publication
    init() throws {
        dir = try TempDir()
        pub = try Fixture.publication(in: dir)
        try dir.write("pub/posts/a.md", "a")
        try dir.write("pub/posts/2025/b.md", "b")
    }

    var current: String { BuildFingerprint.compute(publication: pub, skipInvalid: false) }

    @Test func stableWhenNothingChanged() {
        #expect(current == current)
        #expect(current.count == 64)
    }

    @Test func changesWithAPostsSizeOrMtime() throws {
        let before = current
        let file = dir.url.appendingPathComponent("pub/posts/2025/b.md")
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000)], ofItemAtPath: file.path)
        let touched = current
        #expect(touched != before)
        try Data("bb".utf8).write(to: file)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000)], ofItemAtPath: file.path)
        #expect(current != touched)
    }

    @Test func changesWhenAPostIsAddedOrRemovedInASubfolder() throws {
        let before = current
        try dir.write("pub/posts/2025/c.md", "c")
        let added = current
        #expect(added != before)
        try FileManager.default.removeItem(at: dir.url.appendingPathComponent("pub/posts/2025/c.md"))
        #expect(current != added)
    }

    @Test func changesWithTheConfigAndTheSkipInvalidFlag() throws {
        let before = current
        #expect(BuildFingerprint.compute(publication: pub, skipInvalid: true) != before)
        let config = dir.url.appendingPathComponent("pub/herald.yml")
        try (String(contentsOf: config, encoding: .utf8) + "\n# comment\n").write(to: config, atomically: true, encoding: .utf8)
        #expect(current != before)
    }

    @Test func theScansStampsGiveTheSameFingerprint() throws {
        // A first build takes its fingerprint from the stamps the scan read; the next
        // build's check takes them with stat. Equal, or no rebuild would ever be skipped.
        try dir.write("pub/posts/2025/c.md", "---\ntitle: 标题\ndate: 2024-01-01\n---\n正文\n")
        let scan = PostLoader(publication: pub).scan()
        let stamps = try #require(scan.stamps)
        #expect(stamps.count == 3)
        #expect(BuildFingerprint.compute(publication: pub, skipInvalid: false, stamps: stamps, sections: scan.sections) == current)
    }

    @Test func ignoresFilesThatAreNotPosts() throws {
        let before = current
        try dir.write("pub/posts/cover.png", "png")
        try dir.write("pub/posts/.draft.md.swp", "swap")
        #expect(current == before)
    }
}
