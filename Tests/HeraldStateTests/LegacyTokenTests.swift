import Foundation
import GRDB
import HeraldBase
import HeraldTestSupport
import PostgresNIO
import Testing

@testable import HeraldState

/// Mail sent before opaque tokens carries `v1.` links; they must keep unsubscribing the
/// subscription they were made for, and nothing else.
/// Against every backend (`Backend.all`): a PostgreSQL state gets such subscriptions from
/// `herald state copy` of an older SQLite one.
@Suite struct LegacyTokenTests {
    let key = Array("an-unsubscribe-secret-of-32-bytes".utf8)
    let legacy: LegacyUnsubscribeToken
    init() { legacy = LegacyUnsubscribeToken(key: key, scope: "weekly.example.org") }

    /// A state with one subscriber from before v4: for SQLite made by the code before v4
    /// (migrated up to v3) then opened as today; for PostgreSQL its row as a copy brings it.
    /// The second value keeps the state's folder or database alive.
    func oldState(_ backend: Backend) throws -> (PublicationStore, Any) {
        switch backend {
        case .sqlite:
            let dir = try TempDir()
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
            return (PublicationStore(sqlite: try StateDatabase(directory: dir.url)), dir)
        case .postgresql:
            let state = try #require(try TestPostgres.freshState())
            try state.session.query(
                """
                INSERT INTO subscribers (address, address_key, status, created_at, changed_at, unsubscribe_token, accepts_legacy_token)
                VALUES ('Old@Example.org', 'old@example.org', 'active', now(), now(), \(SubscriptionToken.random().description), true)
                """)
            return (PublicationStore(postgres: state), state)
        }
    }

    func consent() -> Subscriptions.Consent { Subscriptions.Consent(client: "192.0.2.9", userAgent: "Gmail", page: "/unsubscribe") }

    @Test(arguments: Backend.all) func aV1LinkEndsTheSubscriptionItWasMadeForOnce(_ backend: Backend) throws {
        let (state, kept) = try oldState(backend)
        defer { withExtendedLifetime(kept) {} }
        let subscriptions = state.subscriptions(legacyTokens: legacy)
        let token = UnsubscribeLinkToken.legacy(legacy.make(address: "Old@Example.org"))
        #expect(try subscriptions.lookUnsubscribe(token) == .active(address: "Old@Example.org"))
        #expect(try subscriptions.unsubscribe(token, consent: consent()) == .unsubscribed(address: "Old@Example.org"))
        #expect(try subscriptions.unsubscribe(token, consent: consent()) == .alreadyUnsubscribed(address: "Old@Example.org"))
        #expect(try state.subscribers.count(.active) == 0)
    }

    @Test(arguments: Backend.all) func forgedAlteredOrForeignV1LinksAreUnknown(_ backend: Backend) throws {
        let (state, kept) = try oldState(backend)
        defer { withExtendedLifetime(kept) {} }
        let subscriptions = state.subscriptions(legacyTokens: legacy)
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
        #expect(try state.subscriptions(legacyTokens: nil).lookUnsubscribe(.legacy(good)) == .unknown)
        #expect(try state.subscribers.count(.active) == 1)
    }

    @Test(arguments: Backend.all) func aReSubscribeOrANewSubscriptionIsNotReachedByV1Links(_ backend: Backend) throws {
        let (state, kept) = try oldState(backend)
        defer { withExtendedLifetime(kept) {} }
        let store = state.subscribers
        let subscriptions = state.subscriptions(legacyTokens: legacy)
        let old = try EmailAddress("old@example.org")
        _ = try store.setStatus(old, .unsubscribed)
        #expect(try store.add(old, name: nil) == .resubscribed)
        #expect(try subscriptions.lookUnsubscribe(.legacy(legacy.make(address: "Old@Example.org"))) == .unknown)

        _ = try store.add(try EmailAddress("new@example.org"), name: nil)
        #expect(try subscriptions.unsubscribe(.legacy(legacy.make(address: "new@example.org")), consent: consent()) == .unknown)
        #expect(try store.count(.active) == 2)
    }
}
