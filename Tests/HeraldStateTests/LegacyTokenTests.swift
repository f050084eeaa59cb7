import Foundation
import GRDB
import HeraldBase
import HeraldTestSupport
import Testing

@testable import HeraldState

/// Mail sent before opaque tokens carries `v1.` links; they must keep unsubscribing the
/// subscription they were made for, and nothing else.
@Suite struct LegacyTokenTests {
    let dir: TempDir
    let key = Array("an-unsubscribe-secret-of-32-bytes".utf8)
    let legacy: LegacyUnsubscribeToken

    /// A state made by the code before v4 (migrated up to v3) with one subscriber, then opened as today.
    init() throws {
        dir = try TempDir()
        legacy = LegacyUnsubscribeToken(key: key, scope: "weekly.example.org")
        let pool = try DatabasePool(path: dir.url.appendingPathComponent("state.sqlite").path)
        try Migrations.migrator.migrate(pool, upTo: "v3: opaque unsubscribe tokens, pending subscriptions, consents")
        try pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO subscribers (address, address_key, status, created_at, changed_at, unsubscribe_token)
                    VALUES ('Old@Example.org', 'old@example.org', 'active', ?, ?, ?)
                    """, arguments: [Date(), Date(), SubscriptionToken.random().description])
        }
        try pool.close()
    }

    func consent() -> Subscriptions.Consent { Subscriptions.Consent(client: "192.0.2.9", userAgent: "Gmail", page: "/unsubscribe") }

    @Test func aV1LinkEndsTheSubscriptionItWasMadeForOnce() throws {
        let database = try StateDatabase(directory: dir.url)
        let subscriptions = Subscriptions(database: database, legacyTokens: legacy)
        let token = UnsubscribeLinkToken.legacy(legacy.make(address: "Old@Example.org"))
        #expect(try subscriptions.lookUnsubscribe(token) == .active(address: "Old@Example.org"))
        #expect(try subscriptions.unsubscribe(token, consent: consent()) == .unsubscribed(address: "Old@Example.org"))
        #expect(try subscriptions.unsubscribe(token, consent: consent()) == .alreadyUnsubscribed(address: "Old@Example.org"))
        #expect(try SubscriberStore(database: database).count(.active) == 0)
    }

    @Test func forgedAlteredOrForeignV1LinksAreUnknown() throws {
        let database = try StateDatabase(directory: dir.url)
        let subscriptions = Subscriptions(database: database, legacyTokens: legacy)
        let otherKey = LegacyUnsubscribeToken(key: Array("another-secret-of-enough-bytes!!".utf8), scope: "weekly.example.org")
        let otherList = LegacyUnsubscribeToken(key: key, scope: "other.example.org")
        let good = legacy.make(address: "Old@Example.org")
        let altered = String(good.dropLast()) + (good.last == "A" ? "B" : "A")
        for token in [
            otherKey.make(address: "Old@Example.org"), otherList.make(address: "Old@Example.org"), altered,
            "v1..", "v1.\(good.split(separator: ".")[1])", legacy.make(address: "nobody@example.org"),
        ] {
            #expect(try subscriptions.lookUnsubscribe(.legacy(token)) == .unknown, "\(token)")
            #expect(try subscriptions.unsubscribe(.legacy(token), consent: consent()) == .unknown, "\(token)")
        }
        // Without the secret at hand, a v1 link is not read at all.
        #expect(try Subscriptions(database: database).lookUnsubscribe(.legacy(good)) == .unknown)
        #expect(try SubscriberStore(database: database).count(.active) == 1)
    }

    @Test func aReSubscribeOrANewSubscriptionIsNotReachedByV1Links() throws {
        let database = try StateDatabase(directory: dir.url)
        let store = SubscriberStore(database: database)
        let subscriptions = Subscriptions(database: database, legacyTokens: legacy)
        let old = try EmailAddress("old@example.org")
        _ = try store.setStatus(old, .unsubscribed)
        #expect(try store.add(old, name: nil) == .resubscribed)
        #expect(try subscriptions.lookUnsubscribe(.legacy(legacy.make(address: "Old@Example.org"))) == .unknown)

        _ = try store.add(try EmailAddress("new@example.org"), name: nil)
        #expect(try subscriptions.unsubscribe(.legacy(legacy.make(address: "new@example.org")), consent: consent()) == .unknown)
        #expect(try store.count(.active) == 2)
    }
}
