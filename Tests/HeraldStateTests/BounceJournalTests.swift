import Foundation
import GRDB
import HeraldBase
import HeraldTestSupport
import PostgresNIO
import Testing

@testable import HeraldState

/// Against every backend (`Backend.all`): PostgreSQL must decide as SQLite does.
@Suite struct BounceJournalTests {
    let rules = BounceJournal.Rules(softLimit: 3, softDays: 14)

    /// One test's state and its parts.
    struct Fixture {
        let state: TestStore
        var journal: any BounceStorage { state.bounces }
        var store: any SubscriberStorage { state.subscribers }
        init(_ backend: Backend) throws { state = try TestStore(backend) }

        func subscribe(_ address: String) throws -> SubscriptionToken {
            _ = try store.add(try EmailAddress(address), name: nil)
            return try #require(store.list().first { $0.subscriber.address.description == address }?.subscriber.unsubscribeToken)
        }

        func status(_ address: String) throws -> Subscriber.Status? {
            try store.list(includeInactive: true).first { $0.subscriber.address.description == address }?.subscriber.status
        }

        /// The `client` of every consent record of a leave, read from either database.
        func leaveClients() throws -> [String?] {
            if let database = state.store.database {
                return try database.pool.read { db in
                    try String?.fetchAll(db, sql: "SELECT client FROM consents WHERE action = 'unsubscribed'")
                }
            }
            let server = try #require(state.store.server)
            return try server.session.query("SELECT client FROM consents WHERE action = 'unsubscribed'").map {
                try $0.decode(String?.self)
            }
        }
    }

    func report(_ id: String, _ kind: BounceReport.Kind, _ token: SubscriptionToken?, _ code: String? = nil) -> BounceReport {
        BounceReport(messageID: id, kind: kind, token: token, recipient: nil, statusCode: code, detail: nil)
    }

    @Test(arguments: Backend.all) func oneHardBounceMarksBouncedAndTheSameReportTwiceChangesNothing(_ backend: Backend) throws {
        let f = try Fixture(backend)
        let journal = f.journal
        let token = try f.subscribe("ana@example.org")
        _ = try f.subscribe("bo@example.org")
        let first = try journal.apply(report("<r1@mx>", .hard, token, "5.1.1"), rules: rules)
        #expect(first == .init(decision: .bounced, address: "ana@example.org", reason: "hard bounce 5.1.1"))
        #expect(try f.status("ana@example.org") == .bounced && f.status("bo@example.org") == .active)
        let again = try journal.apply(report("<r1@mx>", .hard, token, "5.1.1"), rules: rules)
        #expect(again == .init(decision: nil, address: "ana@example.org", reason: "already read (bounced)"))
        if let database = f.state.store.database {
            let status = try StatusReport.load(database)
            #expect(status.reports == ["bounced": 1] && status.recentReports.map(\.messageID) == ["<r1@mx>"])
            #expect(status.subscribers["bounced"] == 1)
        }
        #expect(try f.store.count(.bounced) == 1)
    }

    @Test(arguments: Backend.all) func softBouncesCountWithinTheWindowOnly(_ backend: Backend) throws {
        let f = try Fixture(backend)
        let journal = f.journal
        let token = try f.subscribe("ana@example.org")
        let day: TimeInterval = 86_400
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(try journal.apply(report("<s1>", .soft, token, "4.4.7"), rules: rules, now: start).decision == .counted)
        // 20 days later the first one is out of the 14-day window.
        #expect(try journal.apply(report("<s2>", .soft, token), rules: rules, now: start + 20 * day).decision == .counted)
        let third = try journal.apply(report("<s3>", .soft, token, "4.2.2"), rules: rules, now: start + 21 * day)
        #expect(third.decision == .counted && third.reason == "soft bounce 4.2.2, 2 of 3 in 14 days")
        #expect(try f.status("ana@example.org") == .active)
        #expect(try journal.apply(report("<s4>", .soft, token), rules: rules, now: start + 22 * day).decision == .bounced)
        #expect(try f.status("ana@example.org") == .bounced)
    }

    @Test(arguments: Backend.all) func aComplaintUnsubscribesAtOnceWithAConsentRecord(_ backend: Backend) throws {
        let f = try Fixture(backend)
        let journal = f.journal
        let token = try f.subscribe("ana@example.org")
        let outcome = try journal.apply(
            BounceReport(
                messageID: "<fbl1>", kind: .complaint, token: token, recipient: nil,
                statusCode: "abuse", detail: "FBL/1"), rules: rules)
        #expect(outcome.decision == .unsubscribed)
        #expect(try f.status("ana@example.org") == .unsubscribed)
        #expect(try f.leaveClients() == ["abuse report"])
        // A later bounce of a digest already in flight changes nothing more.
        #expect(try journal.apply(report("<r2>", .hard, token, "5.1.1"), rules: rules).decision == .ignored)
        #expect(try f.status("ana@example.org") == .unsubscribed)
    }

    @Test(arguments: Backend.all) func unknownTokensAndDeliveredReportsAreJournaledAndIgnored(_ backend: Backend) throws {
        let f = try Fixture(backend)
        let journal = f.journal
        let token = try f.subscribe("ana@example.org")
        #expect(
            try journal.apply(report("<u1>", .hard, SubscriptionToken.random(), "5.1.1"), rules: rules)
                == .init(decision: .ignored, address: nil, reason: "hard 5.1.1: the token names no subscription"))
        #expect(try journal.apply(report("<d1>", .other, token, "2.0.0"), rules: rules).decision == .ignored)
        #expect(try journal.apply(report("<x1>", .hard, nil), rules: rules).decision == .ignored)
        #expect(try f.status("ana@example.org") == .active)
    }
}
