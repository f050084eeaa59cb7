import Foundation
import GRDB
import HeraldTestSupport
import Testing

@testable import HeraldState

@Suite struct FeedSourceStateTests {
    @Test(arguments: Backend.all) func keepsTheLastAnswerPerAddress(_ backend: Backend) throws {
        let made = try TestStore(backend)
        let state = made.feedSource
        #expect(try state.cached(url: "https://a.example/feed.xml") == nil)
        let at = Date(timeIntervalSince1970: 1_700_000_000)
        try state.store(url: "https://a.example/feed.xml", etag: "\"v1\"", lastModified: nil, body: [1, 2, 3], at: at)
        try state.store(url: "https://a.example/feed.xml", etag: "\"v2\"", lastModified: "Tue, 14 Nov 2023 22:13:20 GMT", body: [4], at: at)
        let cached = try #require(try state.cached(url: "https://a.example/feed.xml"))
        #expect(cached.etag == "\"v2\"")
        #expect(cached.lastModified == "Tue, 14 Nov 2023 22:13:20 GMT")
        #expect(cached.body == [4])
    }

    @Test(arguments: Backend.all) func anEntryKeepsTheTimeItWasFirstSeen(_ backend: Backend) throws {
        let made = try TestStore(backend)
        let state = made.feedSource
        let first = Date(timeIntervalSinceReferenceDate: 700_000_000.123_456)
        let later = first.addingTimeInterval(3600)
        #expect(try state.recordSeen(["a", "b"], at: first) == ["a": first, "b": first])
        #expect(try state.recordSeen(["b", "c"], at: later) == ["b": first, "c": later])
        #expect(try state.firstSeen(["a", "z"]) == ["a": first])
    }

    /// Ids are recorded and looked up a few hundred per statement (a list with a NUL in an
    /// id goes id by id). Held to a lookup per id for ids a hostile feed may carry:
    /// controls, quotes, backslashes, escapes, astral characters, a long one, repeats, and
    /// more ids than one statement takes.
    @Test(arguments: Backend.all, [false, true]) func listsOfHostileIdsReadAsOneByOne(_ backend: Backend, withNUL: Bool) throws {
        let made = try TestStore(backend)
        let state = made.feedSource
        var hostile = [
            "\u{1}\u{7f}", "quote\"d", "back\\slash", "\\u0041", "/slash/", "tab\there", "line\nbreak",
            "𝔘𝔫𝔦", "e\u{301}", String(repeating: "long-", count: 2_000), "", " ", "[1]", "{\"k\":1}", "a",
        ]
        hostile += (0..<1_000).map { "https://example.org/p/\($0)/" }
        if withNUL { hostile += ["a\u{0}b", "\u{0}"] }
        let first = Date(timeIntervalSinceReferenceDate: 700_000_000.5)
        let recorded = try state.recordSeen(hostile + hostile.prefix(3), at: first)
        #expect(recorded == Dictionary(uniqueKeysWithValues: hostile.map { ($0, first) }))
        let later = first.addingTimeInterval(60)
        #expect(try state.recordSeen(["new", hostile[1]], at: later) == ["new": later, hostile[1]: first])
        let asked = hostile.shuffled() + ["never-seen", "b"] + (withNUL ? ["a\u{0}", "a\u{0}c"] : [])
        let looked = try state.firstSeen(asked)
        // GRDB binds a String up to its first NUL, so in SQLite `a\0c` finds `a`'s time (as it always has).
        if !withNUL { #expect(looked.count == hostile.count) }
        guard let sqlite = state as? FeedSourceState else { return }
        let plain = try sqlite.database.pool.read { db in try FeedSourceState.firstSeenOneByOne(asked, db) }
        #expect(looked == plain)
        #expect(try state.firstSeen([]) == [:])
        #expect(try state.recordSeen([], at: later) == [:])
    }
}
