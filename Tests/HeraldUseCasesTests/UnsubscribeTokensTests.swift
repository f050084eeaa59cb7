import Foundation
import HeraldBase
import HeraldConfig
import HeraldState
import HeraldTestSupport
import Testing

@testable import HeraldUseCases

@Suite struct UnsubscribeTokensTests {
    @Test func aTokenIsTakenOutOfTheLinkASubscriberClicked() {
        #expect(UnsubscribeTokens.bare("https://example.org/unsubscribe?token=abc123&x=1") == "abc123")
        #expect(UnsubscribeTokens.bare("https://example.org/unsubscribe?token=abc123#top") == "abc123")
        #expect(UnsubscribeTokens.bare("  abc123\n") == "abc123")
    }

    @Test func aSubscribersTokenUnsubscribesThatSubscriberOnce() throws {
        let dir = try TempDir()
        try dir.write(
            "pub/herald.yml",
            """
            title: Weekly
            base_url: https://example.org/
            posts: posts
            """)
        let publication = try Publication.load(from: dir.url.appendingPathComponent("pub").path)
        let state = PublicationState(publication, override: dir.url.appendingPathComponent("state").path)
        let subscribers = ManageSubscribers(state)
        #expect(try subscribers.add(EmailAddress("ana@example.org"), name: "Ana") == "added ana@example.org")
        let tokens = UnsubscribeTokens(state)
        let token = try tokens.make(for: EmailAddress("ana@example.org"))
        #expect(try tokens.verify("https://example.org/unsubscribe?token=\(token)") == "ana@example.org")
        #expect(try tokens.unsubscribe(token.description) == "ana@example.org")
        #expect(try subscribers.list(all: false, json: false).isEmpty)
        #expect(throws: Failure.self) { try tokens.verify("0123456789abcdef0123456789abcdef") }
    }
}
