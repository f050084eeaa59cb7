import Foundation
import HeraldBase
import HeraldState
import HeraldTestSupport
import Testing

/// Against every backend (`Backend.all`): PostgreSQL must answer as SQLite does.
@Suite struct SubscriptionsTests {

    func consent(_ at: Date = Date()) -> Subscriptions.Consent {
        Subscriptions.Consent(at: at, client: "192.0.2.7", userAgent: "Test/1", page: "/subscribe")
    }

    @Test func tokensAreRandomAndNameNobody() {
        let tokens = (0..<100).map { _ in SubscriptionToken.random() }
        #expect(Set(tokens).count == 100)
        #expect(tokens.allSatisfy { SubscriptionToken($0.description) == $0 })
    }

    @Test(arguments: Backend.all) func doubleOptInMakesTheAddressActiveOnlyAfterTheConfirmation(_ backend: Backend) throws {
        let state = try TestStore(backend)
        let subscriptions = state.subscriptions
        let address = try EmailAddress("Ana@Example.ORG")
        guard
            case .mail(let token) = try subscriptions.request(
                address, name: SubscriberName("Ana"), consent: consent(), lifetime: 3600, window: 600)
        else {
            Issue.record("no confirmation to mail")
            return
        }
        #expect(try state.subscribers.count(.active) == 0)
        #expect(try subscriptions.lookConfirmation(token) == .pending(address: "Ana@example.org"))
        #expect(try subscriptions.confirm(token, consent: consent()) == .confirmed(address: "Ana@example.org"))
        #expect(try subscriptions.confirm(token, consent: consent()) == .confirmed(address: "Ana@example.org"))
        #expect(try state.subscribers.list().map(\.subscriber.name) == ["Ana"])
        #expect(try subscriptions.request(address, name: nil, consent: consent(), lifetime: 3600, window: 0) == .alreadyActive)
    }

    @Test(arguments: Backend.all) func oneMailPerWindowAndLinksExpire(_ backend: Backend) throws {
        let state = try TestStore(backend)
        let subscriptions = state.subscriptions
        let address = try EmailAddress("bo@example.org")
        let start = Date()
        guard case .mail(let token) = try subscriptions.request(address, name: nil, consent: consent(start), lifetime: 3600, window: 600)
        else {
            Issue.record("no confirmation to mail")
            return
        }
        #expect(try subscriptions.request(address, name: nil, consent: consent(start + 599), lifetime: 3600, window: 600) == .throttled)
        #expect(try subscriptions.lookConfirmation(token, now: start + 3601) == .expired)
        #expect(try subscriptions.confirm(token, consent: consent(start + 3601)) == .expired)
        #expect(try subscriptions.confirm(SubscriptionToken.random(), consent: consent()) == .unknown)
    }

    /// A subscriber's address and an unknown one answer alike, on the first request and
    /// on a second inside the window: nothing tells them apart.
    @Test(arguments: Backend.all) func aSubscribersRequestsHaveTheWindowOfAnyAddress(_ backend: Backend) throws {
        let state = try TestStore(backend)
        let subscriptions = state.subscriptions
        let active = try EmailAddress("dee@example.org")
        let unknown = try EmailAddress("eve@example.org")
        _ = try state.subscribers.add(active, name: nil)
        let start = Date()
        for address in [active, unknown] {
            #expect(try !subscriptions.recentlyRequested(address, window: 600, now: start))
        }
        #expect(try subscriptions.request(active, name: nil, consent: consent(start), lifetime: 3600, window: 600) == .alreadyActive)
        guard case .mail = try subscriptions.request(unknown, name: nil, consent: consent(start), lifetime: 3600, window: 600) else {
            Issue.record("no confirmation to mail")
            return
        }
        for address in [active, unknown] {
            #expect(try subscriptions.recentlyRequested(address, window: 600, now: start + 599))
            #expect(try !subscriptions.recentlyRequested(address, window: 600, now: start + 601))
            #expect(try subscriptions.request(address, name: nil, consent: consent(start + 599), lifetime: 3600, window: 600) == .throttled)
        }
    }

    @Test(arguments: Backend.all) func unsubscribeIsIdempotentAndAReSubscribeRetiresTheOldToken(_ backend: Backend) throws {
        let state = try TestStore(backend)
        let subscriptions = state.subscriptions
        let store = state.subscribers
        let address = try EmailAddress("cy@example.org")
        _ = try store.add(address, name: nil)
        let first = try #require(try store.list().first?.subscriber.unsubscribeToken)
        #expect(try subscriptions.lookUnsubscribe(.current(first)) == .active(address: "cy@example.org"))
        #expect(try store.count(.active) == 1) // looking changed nothing
        #expect(try subscriptions.unsubscribe(.current(first), consent: consent()) == .unsubscribed(address: "cy@example.org"))
        #expect(try subscriptions.unsubscribe(.current(first), consent: consent()) == .alreadyUnsubscribed(address: "cy@example.org"))
        _ = try store.add(address, name: nil)
        let second = try #require(try store.list().first?.subscriber.unsubscribeToken)
        #expect(second != first)
        #expect(try subscriptions.unsubscribe(.current(first), consent: consent()) == .unknown)
        #expect(try store.count(.active) == 1)
    }

    @Test(arguments: Backend.all) func exportShowsTheConsent(_ backend: Backend) throws {
        let state = try TestStore(backend)
        let subscriptions = state.subscriptions
        let address = try EmailAddress("di@example.org")
        guard case .mail(let token) = try subscriptions.request(address, name: nil, consent: consent(), lifetime: 3600, window: 600) else {
            Issue.record("no confirmation to mail")
            return
        }
        _ = try subscriptions.confirm(
            token, consent: Subscriptions.Consent(client: "198.51.100.9", userAgent: "Browser \"X\"", page: "/confirm"))
        let csv = try state.subscribers.exportCSV()
        #expect(
            csv.hasPrefix(
                "address,name,status,consent_at,consent_client,consent_user_agent,consent_page,consent_source,"
                    + "requested_at,requested_client\r\n"))
        #expect(csv.contains("198.51.100.9,\"Browser \"\"X\"\"\",/confirm,,"))
    }
}
