import Foundation
import HeraldConfig
import HeraldTestSupport
import PostgresNIO
import Testing

@testable import HeraldState

/// Several senders on one digest in a PostgreSQL state: claims, leases, takeovers.
@Suite(.enabled(if: TestPostgres.available, "no PostgreSQL cluster: run through scripts/test-postgres"))
struct PostgresSenderJournalTests {
    /// A state with `count` active subscribers and digest 1 owing each of them a message.
    func digest(of count: Int) throws -> PostgresState {
        let state = try #require(try TestPostgres.freshState(activeSubscribers: count))
        try state.session.query(
            "INSERT INTO digests (number, post_ids, subject, created_at, newest_post_date) VALUES (1, '[]', 'S', now(), 0)")
        try state.session.query(
            """
            INSERT INTO deliveries (digest, subscriber, status, attempts, created_at, changed_at)
            SELECT 1, id, 'pending', 0, now(), now() FROM subscribers ORDER BY id
            """)
        return state
    }

    func statuses(_ state: PostgresState) throws -> [String: Int] {
        var result: [String: Int] = [:]
        for row in try state.session.query("SELECT status, COUNT(*) FROM deliveries GROUP BY status") {
            let (status, n) = try row.decode((String, Int).self)
            result[status] = n
        }
        return result
    }

    @Test func sendersClaimingAtOnceNeverShareARow() throws {
        let state = try digest(of: 600)
        let senders = try (0..<3).map { _ in try PostgresSenderJournal(state: state, digest: 1) }
        let taken = LockedIDs()
        DispatchQueue.concurrentPerform(iterations: senders.count) { index in
            let sender = senders[index]
            while let claims = try? sender.claim(limit: 7), !claims.isEmpty {
                let marked = (try? sender.mark(claims.map(\.deliveryID))) ?? []
                taken.add(marked)
                try? sender.record(marked.map { ($0, .sent(messageID: "<\($0)@t>", reply: "250 ok")) })
            }
        }
        #expect(taken.duplicates == 0)
        #expect(taken.count == 600)
        #expect(try statuses(state) == ["sent": 600])
    }

    @Test func aDeadSendersClaimsAreTakenOverAfterTheLease() throws {
        let state = try digest(of: 10)
        let dead = try PostgresSenderJournal(state: state, digest: 1, lease: 1)
        let live = try PostgresSenderJournal(state: state, digest: 1, lease: 30)
        let held = try dead.claim(limit: 4)
        #expect(held.count == 4)
        // Two on the wire when it died: marked, no outcome.
        #expect(try dead.mark(held.prefix(2).map(\.deliveryID)) == Set(held.prefix(2).map(\.deliveryID)))
        // Within the lease, the live sender gets only what the dead one did not claim.
        #expect(try live.claim(limit: 100).map(\.deliveryID).sorted() == Array(held.last!.deliveryID + 1...held.last!.deliveryID + 6))
        #expect(try PostgresSenderJournal.expireAbandoned(state: state, digest: 1) == 0)
        Thread.sleep(forTimeInterval: 1.3)
        let takenOver = try live.claim(limit: 100).map(\.deliveryID)
        #expect(takenOver == held.suffix(2).map(\.deliveryID))
        #expect(try PostgresSenderJournal.expireAbandoned(state: state, digest: 1) == 2)
        // The "dead" one was only slow: what it claimed is no longer its own to send.
        #expect(try dead.mark(held.suffix(2).map(\.deliveryID)).isEmpty)
        #expect(try statuses(state) == ["pending": 8, "uncertain": 2])
    }

    /// A sender whose keeper stalled past the lease still holds its rows in memory; its next
    /// claim hands each of them out once, not again beside itself, and each is sent once.
    @Test func aRowWhoseLeaseRanOutIsNotHandedOutTwiceToItsOwnSender() throws {
        let state = try digest(of: 5)
        let sender = try PostgresSenderJournal(state: state, digest: 1, lease: 1)
        let first = try sender.claim(limit: 3, keeping: true)
        #expect(first.count == 3)
        Thread.sleep(forTimeInterval: 1.3)
        let again = try sender.claim(limit: 10, keeping: true).map(\.deliveryID)
        #expect(again.count == Set(again).count, "\(again)")
        #expect(Set(again) == Set(try state.session.query("SELECT id FROM deliveries").map { try $0.decode(Int64.self) }))
        // Each row handed out is marked by one connection only, however often it was handed out.
        var marked: [Int64] = []
        for id in again { marked += try sender.mark([id]) }
        #expect(marked.sorted() == again.sorted())
        try sender.record(marked.map { ($0, .sent(messageID: "<\($0)@t>", reply: "250 ok")) })
        #expect(try statuses(state) == ["sent": 5])
    }

    @Test func aSlowSendersAnswerOutranksTheGuess() throws {
        let state = try digest(of: 1)
        let slow = try PostgresSenderJournal(state: state, digest: 1, lease: 1)
        let row = try #require(try slow.claim(limit: 1).first).deliveryID
        _ = try slow.mark([row])
        Thread.sleep(forTimeInterval: 1.3)
        #expect(try PostgresSenderJournal.expireAbandoned(state: state, digest: 1) == 1)
        try slow.record([(row, .sent(messageID: "<m@t>", reply: "250 ok"))])
        #expect(try statuses(state) == ["sent": 1])
    }

    @Test func renewingKeepsTheClaims() throws {
        let state = try digest(of: 3)
        let sender = try PostgresSenderJournal(state: state, digest: 1, lease: 1)
        let other = try PostgresSenderJournal(state: state, digest: 1, lease: 1)
        #expect(try sender.claim(limit: 3).count == 3)
        for _ in 0..<3 {
            Thread.sleep(forTimeInterval: 0.4)
            try sender.renew()
        }
        #expect(try other.claim(limit: 3).isEmpty)
        try sender.releaseUnsent()
        #expect(try other.claim(limit: 3).count == 3)
    }

    @Test func retriesAndReleasesGoBackToEverySender() throws {
        let state = try digest(of: 2)
        let first = try PostgresSenderJournal(state: state, digest: 1)
        let second = try PostgresSenderJournal(state: state, digest: 1)
        let claims = try first.claim(limit: 2).map(\.deliveryID)
        _ = try first.mark(claims)
        try first.record([
            (claims[0], .retry(reply: "451 later", retryAt: Date(timeIntervalSinceNow: -1))), (claims[1], .released),
        ])
        #expect(try second.claim(limit: 2).map(\.deliveryID) == claims)
    }

    @Test func leftSubscribersAreClosedNotClaimed() throws {
        let state = try digest(of: 3)
        try state.session.query("UPDATE subscribers SET status = 'unsubscribed' WHERE id = 2")
        let sender = try PostgresSenderJournal(state: state, digest: 1)
        #expect(try sender.claim(limit: 3).map(\.subscriber.id) == [1, 3])
        #expect(try statuses(state) == ["pending": 2, "failed": 1])
    }

    /// A refresh (`keeping`) hands back from memory what the sender holds and has not marked,
    /// less the rows in flight; a held row whose subscriber left meanwhile is closed, and only
    /// the shortfall is claimed anew.
    @Test func aRefreshHandsBackWhatItHoldsAndClosesRowsWhoseSubscriberLeft() throws {
        let state = try digest(of: 6)
        let sender = try PostgresSenderJournal(state: state, digest: 1)
        let first = try sender.claim(limit: 4, keeping: true)
        #expect(first.map(\.subscriber.id) == [1, 2, 3, 4])
        #expect(try sender.mark([first[0].deliveryID]) == [first[0].deliveryID])
        try state.session.query("UPDATE subscribers SET status = 'unsubscribed' WHERE id = 3")
        var closed: [Subscriber] = []
        let again = try sender.claim(limit: 4, keeping: true, excluding: [first[1].deliveryID]) { closed.append($0.subscriber) }
        #expect(again.map(\.subscriber.id) == [4, 5, 6])
        #expect(closed.map(\.id) == [3] && closed.map(\.status) == [.unsubscribed])
        #expect(try statuses(state) == ["sending": 1, "failed": 1, "pending": 4])
        // Once its mark is applied, a row is not handed out again.
        #expect(try sender.mark([first[1].deliveryID]) == [first[1].deliveryID])
        #expect(try sender.claim(limit: 4, keeping: true).map(\.subscriber.id) == [4, 5, 6])
    }

    /// The commit statement runs with the plan made once for any arguments (its session forces
    /// the generic plan): that plan must still reach each row through its key, never by
    /// reading a whole table, whatever the statistics say.
    @Test func theCommitStatementsGenericPlanLooksRowsUpByKey() throws {
        let state = try digest(of: 3000)
        try state.session.query("ANALYZE")
        try state.session.query("SET plan_cache_mode = force_generic_plan")
        try state.session.query(PostgresQuery(unsafeSQL: "PREPARE commit_plan AS " + PostgresSenderJournal.change.sql))
        let plan = try state.session.query(
            "EXPLAIN EXECUTE commit_plan('s', 60, '{1,2}', '{3}', '{sent}', '{1}', '{250 ok}', '{<m@t>}', '{-1}', '{4}')"
        ).map { try $0.decode(String.self) }.joined(separator: "\n")
        #expect(!plan.contains("Seq Scan"), "\(plan)")
        #expect(plan.contains("deliveries_pkey") && plan.contains("subscribers_pkey"), "\(plan)")
    }
}

/// Delivery ids taken by several threads, and how many were taken twice.
final class LockedIDs: @unchecked Sendable {
    private let lock = NSLock()
    private var seen = Set<Int64>()
    private(set) var duplicates = 0
    var count: Int { lock.withLock { seen.count } }

    func add(_ ids: Set<Int64>) {
        lock.withLock {
            for id in ids where !seen.insert(id).inserted { duplicates += 1 }
        }
    }
}

@Suite(.enabled(if: TestPostgres.available, "no PostgreSQL cluster: run through scripts/test-postgres"))
struct SenderProgressTests {
    @Test func eachSendersOutcomesAndHoldingsAreCounted() throws {
        let state = try PostgresSenderJournalTests().digest(of: 5)
        let first = try PostgresSenderJournal(state: state, digest: 1, host: "a")
        let second = try PostgresSenderJournal(state: state, digest: 1, host: "b")
        let mine = try first.claim(limit: 3).map(\.deliveryID)
        _ = try first.mark(mine)
        try first.record([
            (mine[0], .sent(messageID: "<1@t>", reply: "250")), (mine[1], .uncertain(reply: "timeout")),
        ])
        _ = try second.claim(limit: 1)
        let progress = try SenderProgress.of(digest: 1, in: state)
        #expect(progress.map(\.host) == ["a", "b"])
        #expect(progress.map(\.sent) == [1, 0])
        #expect(progress.map(\.uncertain) == [1, 0])
        #expect(progress.map(\.holding) == [1, 1])
    }

    @Test func theKeeperRenewsWhileTheSenderRuns() throws {
        let state = try PostgresSenderJournalTests().digest(of: 2)
        let sender = try PostgresSenderJournal(state: state, digest: 1, lease: 1)
        let other = try PostgresSenderJournal(state: state, digest: 1, lease: 1)
        #expect(try sender.claim(limit: 2).count == 2)
        let keeper = LeaseKeeper(journal: sender)
        Thread.sleep(forTimeInterval: 1.6)
        #expect(try other.claim(limit: 2).isEmpty)
        #expect(keeper.stop() == nil)
        Thread.sleep(forTimeInterval: 1.2)
        #expect(try other.claim(limit: 2).count == 2)
    }
}
