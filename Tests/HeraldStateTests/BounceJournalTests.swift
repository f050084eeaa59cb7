import Foundation
import GRDB
import HeraldBase
import HeraldTestSupport
import Testing

@testable import HeraldState

@Suite struct BounceJournalTests {
    let dir: TempDir
    let database: StateDatabase
    let journal: BounceJournal
    let store: SubscriberStore
    let rules = BounceJournal.Rules(softLimit: 3, softDays: 14)

    init() throws {
        dir = try TempDir()
        database = try StateDatabase(directory: dir.url)
        journal = BounceJournal(database: database)
        store = SubscriberStore(database: database)
    }

    func subscribe(_ address: String) throws -> SubscriptionToken {
        _ = try store.add(try EmailAddress(address), name: nil)
        return try #require(store.list().first { $0.subscriber.address.description == address }?.subscriber.unsubscribeToken)
    }

    func status(_ address: String) throws -> Subscriber.Status? {
        try store.list(includeInactive: true).first { $0.subscriber.address.description == address }?.subscriber.status
    }

    func report(_ id: String, _ kind: BounceReport.Kind, _ token: SubscriptionToken?, _ code: String? = nil) -> BounceReport {
        BounceReport(messageID: id, kind: kind, token: token, recipient: nil, statusCode: code, detail: nil)
    }

    @Test func oneHardBounceMarksBouncedAndTheSameReportTwiceChangesNothing() throws {
        let token = try subscribe("ana@example.org")
        _ = try subscribe("bo@example.org")
        let first = try journal.apply(report("<r1@mx>", .hard, token, "5.1.1"), rules: rules)
        #expect(first == .init(decision: .bounced, address: "ana@example.org", reason: "hard bounce 5.1.1"))
        #expect(try status("ana@example.org") == .bounced && status("bo@example.org") == .active)
        let again = try journal.apply(report("<r1@mx>", .hard, token, "5.1.1"), rules: rules)
        #expect(again == .init(decision: nil, address: "ana@example.org", reason: "already read (bounced)"))
        let status = try StatusReport.load(database)
        #expect(status.reports == ["bounced": 1] && status.recentReports.map(\.messageID) == ["<r1@mx>"])
        #expect(status.subscribers["bounced"] == 1)
    }

    @Test func softBouncesCountWithinTheWindowOnly() throws {
        let token = try subscribe("ana@example.org")
        let day: TimeInterval = 86_400
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(try journal.apply(report("<s1>", .soft, token, "4.4.7"), rules: rules, now: start).decision == .counted)
        // 20 days later the first one is out of the 14-day window.
        #expect(try journal.apply(report("<s2>", .soft, token), rules: rules, now: start + 20 * day).decision == .counted)
        let third = try journal.apply(report("<s3>", .soft, token, "4.2.2"), rules: rules, now: start + 21 * day)
        #expect(third.decision == .counted && third.reason == "soft bounce 4.2.2, 2 of 3 in 14 days")
        #expect(try status("ana@example.org") == .active)
        #expect(try journal.apply(report("<s4>", .soft, token), rules: rules, now: start + 22 * day).decision == .bounced)
        #expect(try status("ana@example.org") == .bounced)
    }

    @Test func aComplaintUnsubscribesAtOnceWithAConsentRecord() throws {
        let token = try subscribe("ana@example.org")
        let outcome = try journal.apply(
            BounceReport(
                messageID: "<fbl1>", kind: .complaint, token: token, recipient: nil,
                statusCode: "abuse", detail: "FBL/1"), rules: rules)
        #expect(outcome.decision == .unsubscribed)
        #expect(try status("ana@example.org") == .unsubscribed)
        let client = try database.pool.read { db in
            try String.fetchOne(db, sql: "SELECT client FROM consents WHERE action = 'unsubscribed'")
        }
        #expect(client == "abuse report")
        // A later bounce of a digest already in flight changes nothing more.
        #expect(try journal.apply(report("<r2>", .hard, token, "5.1.1"), rules: rules).decision == .ignored)
        #expect(try status("ana@example.org") == .unsubscribed)
    }

    @Test func unknownTokensAndDeliveredReportsAreJournaledAndIgnored() throws {
        let token = try subscribe("ana@example.org")
        #expect(
            try journal.apply(report("<u1>", .hard, SubscriptionToken.random(), "5.1.1"), rules: rules)
                == .init(decision: .ignored, address: nil, reason: "hard 5.1.1: the token names no subscription"))
        #expect(try journal.apply(report("<d1>", .other, token, "2.0.0"), rules: rules).decision == .ignored)
        #expect(try journal.apply(report("<x1>", .hard, nil), rules: rules).decision == .ignored)
        #expect(try status("ana@example.org") == .active)
    }
}
