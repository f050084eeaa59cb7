import Foundation
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
}
