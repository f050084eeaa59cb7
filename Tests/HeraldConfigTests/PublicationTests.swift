import Foundation
import HeraldBase
import HeraldConfig
import HeraldTestSupport
import Testing

@Suite struct PublicationTests {
    @Test func unknownKeyNamesKeyAndLine() throws {
        let dir = try TempDir()
        try dir.write("herald.yml", "title: T\nbase_url: https://e.org\ntitel: oops\n")
        #expect(throws: SourceProblems.self) { try Publication.load(from: dir.path) }
        do { _ = try Publication.load(from: dir.path) } catch {
            #expect(error.problems.map(\.line) == [3])
            #expect(error.problems.first?.message.contains("titel") == true)
            #expect(error.exitStatus == .config)
        }
    }

    @Test func readsDefaultsAndTrailingSlash() throws {
        let dir = try TempDir()
        try dir.write("herald.yml", "title: 周报\nbase_url: https://e.org/blog\ntimezone: Asia/Shanghai\nlanguage: zh-CN\n")
        let pub = try Publication.load(from: dir.path)
        #expect(pub.baseURL.absoluteString == "https://e.org/blog/")
        #expect(pub.timeZone.identifier == "Asia/Shanghai")
        #expect(pub.feeds.entries == 20)
        #expect(pub.postsDirectory.lastPathComponent == "posts")
    }

    @Test func passwordInConfigIsRefused() throws {
        let dir = try TempDir()
        try dir.write("herald.yml", "title: T\nbase_url: https://e.org\nsmtp:\n  url: smtp://127.0.0.1:25\n  password: hunter2\n")
        #expect(throws: SourceProblems.self) { try Publication.load(from: dir.path) }
    }

    @Test func wrongTypeNamesKey() throws {
        let dir = try TempDir()
        try dir.write("herald.yml", "title: T\nbase_url: https://e.org\nfeeds:\n  entries: many\n")
        do {
            _ = try Publication.load(from: dir.path)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasSuffix("herald.yml:4: \"feeds.entries\" must be a whole number"))
        }
    }

    @Test func bounceSettingsAreCheckedAtTheirLines() throws {
        let dir = try TempDir()
        try dir.write(
            "herald.yml", "title: T\nbase_url: https://e.org\ndigest:\n  bounce_address: bounces+x@e.org\n  soft_bounce_limit: 0\n")
        do {
            _ = try Publication.load(from: dir.path)
            Issue.record("expected an error")
        } catch {
            #expect(error.problems.map(\.line) == [4, 5])
            #expect(error.description.contains("herald.yml:4: digest.bounce_address: \"bounces+x@e.org\" has a + in its local part"))
            #expect(error.description.contains("herald.yml:5: \"digest.soft_bounce_limit\" must be between 1 and 100, not 0"))
        }
        try dir.write("herald.yml", "title: T\nbase_url: https://e.org\ndigest:\n  bounce_address: Bounces@E.org\n  soft_bounce_days: 30\n")
        let pub = try Publication.load(from: dir.path)
        #expect(pub.digest.bounceAddress?.description == "Bounces@e.org")
        #expect(pub.digest.softBounceDays == 30 && pub.digest.softBounceLimit == 3)
    }
}
