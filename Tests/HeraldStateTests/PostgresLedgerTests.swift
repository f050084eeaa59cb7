import Foundation
import HeraldTestSupport
import PostgresNIO
import Testing

@testable import HeraldState

/// The journal of a PostgreSQL state as `herald send` uses it (`DeliveryLedger`): two
/// processes' ledgers on one digest, a sender that died, a row another sender took over.
@Suite(.enabled(if: TestPostgres.available, "no PostgreSQL cluster: run through scripts/test-postgres"))
struct PostgresLedgerTests {
    let digest = DigestRecord(number: 1, postIDs: ["https://e.org/p/"], subject: "S", createdAt: Date(), newestPostDate: Date())

    /// A state with `count` active subscribers and no digest yet.
    func state(subscribers count: Int) throws -> PostgresState {
        let state = try #require(try TestPostgres.freshState(activeSubscribers: count))
        return state
    }

    @Test func theFirstSenderCreatesTheDigestAndTheOthersJoinIt() throws {
        let state = try state(subscribers: 4)
        let first = PostgresLedger(state: state)
        let second = PostgresLedger(state: state)
        #expect(try first.activeSubscriberCount() == 4)
        #expect(try first.createOrJoin(digest) == .created(deliveries: 4))
        #expect(try second.createOrJoin(digest) == .joined)
        #expect(try second.unfinishedDigest()?.number == 1)
        #expect(try second.nextDigestNumber() == 2)
        #expect(try second.counts(digest: 1)[.pending] == 4)
    }

    @Test func twoProcessesClaimsNeverOverlap() throws {
        let state = try state(subscribers: 500)
        let ledgers = [PostgresLedger(state: state), PostgresLedger(state: state)]
        _ = try ledgers[0].createOrJoin(digest)
        for ledger in ledgers { try ledger.startRun(digest: 1) }
        let sent = LockedIDs()
        DispatchQueue.concurrentPerform(iterations: ledgers.count) { index in
            let ledger = ledgers[index]
            while true {
                guard let claims = try? ledger.claimable(digest: 1, limit: 9, excluding: [], closed: { _ in }) else { return }
                if claims.isEmpty {
                    guard let left = try? ledger.remaining(digest: 1), left.claimable > 0 else { return }
                    Thread.sleep(forTimeInterval: 0.01)
                    continue
                }
                let ids = claims.map(\.deliveryID)
                let refused = (try? ledger.apply(ids.map { .sending($0) })) ?? Set(ids)
                let marked = Set(ids).subtracting(refused)
                sent.add(marked)
                _ = try? ledger.apply(marked.map { .outcome($0, .sent(messageID: "<\($0)@t>", reply: "250 ok")) })
            }
        }
        for ledger in ledgers { #expect(ledger.endRun(digest: 1) == nil) }
        #expect(sent.duplicates == 0)
        #expect(sent.count == 500)
        #expect(try ledgers[0].counts(digest: 1)[.sent] == 500)
        let senders = try SenderProgress.of(digest: 1, in: state)
        // Which sender took how many is the scheduler's choice (one may take them all); together, every row once.
        #expect(senders.count == 2 && senders.map(\.sent).reduce(0, +) == 500)
        #expect(senders.allSatisfy { $0.holding == 0 && !$0.leaseRanOut })
    }

    @Test func aDeadSendersClaimsAreTakenOverAfterItsLeaseAndItsSendingRowsBecomeUncertain() throws {
        let state = try state(subscribers: 6)
        let live = PostgresLedger(state: state, lease: 1)
        _ = try live.createOrJoin(digest)
        // A process killed with rows claimed and two on the wire: its lease is no longer renewed.
        let dead = try PostgresSenderJournal(state: state, digest: 1, lease: 1)
        let held = try dead.claim(limit: 4).map(\.deliveryID)
        #expect(try dead.mark(Array(held.prefix(2))).count == 2)
        try live.startRun(digest: 1)
        defer { _ = live.endRun(digest: 1) }
        #expect(try live.claimable(digest: 1, limit: 10, excluding: [], closed: { _ in }).count == 2)
        // The live sender keeps waiting while the dead one's lease holds.
        #expect(try live.remaining(digest: 1).claimable >= 4)
        #expect(try SenderProgress.of(digest: 1, in: state).first { $0.sender == dead.id }?.leaseRanOut == false)
        Thread.sleep(forTimeInterval: 1.3)
        #expect(try SenderProgress.of(digest: 1, in: state).first { $0.sender == dead.id }?.leaseRanOut == true)
        _ = try live.remaining(digest: 1) // settles what the dead sender had on the wire
        let takenOver = try live.claimable(digest: 1, limit: 10, excluding: [], closed: { _ in }).map(\.deliveryID)
        #expect(Set(takenOver).isSuperset(of: held.suffix(2)))
        #expect(try live.counts(digest: 1)[.uncertain] == 2)
    }

    @Test func aRowAnotherSenderTookOverIsNotMarkedHere() throws {
        let state = try state(subscribers: 2)
        let other = PostgresLedger(state: state, lease: 30)
        _ = try other.createOrJoin(digest)
        let slow = try PostgresSenderJournal(state: state, digest: 1, lease: 1)
        let rows = try slow.claim(limit: 2).map(\.deliveryID)
        Thread.sleep(forTimeInterval: 1.3)
        try other.startRun(digest: 1)
        defer { _ = other.endRun(digest: 1) }
        #expect(try other.claimable(digest: 1, limit: 2, excluding: [], closed: { _ in }).map(\.deliveryID) == rows)
        // The slow sender's marks do not take: it must not send them.
        #expect(try slow.apply(rows.map { .sending($0) }) == Set(rows))
        #expect(try other.apply(rows.map { .sending($0) }).isEmpty)
        #expect(try other.counts(digest: 1)[.sending] == 2)
    }

    @Test func theWritersTicketSaysWhichMarksDidNotTake() throws {
        let state = try state(subscribers: 2)
        let ledger = PostgresLedger(state: state, lease: 30)
        _ = try ledger.createOrJoin(digest)
        let thief = try PostgresSenderJournal(state: state, digest: 1, lease: 30)
        let stolen = try #require(try thief.claim(limit: 1).first).deliveryID
        try ledger.startRun(digest: 1)
        defer { _ = ledger.endRun(digest: 1) }
        let mine = try #require(try ledger.claimable(digest: 1, limit: 2, excluding: [], closed: { _ in }).first).deliveryID
        let writer = JournalWriter(journal: ledger)
        let ticket = writer.submit([.sending(mine), .sending(stolen)])
        #expect(try ticket.wait(marking: mine))
        #expect(try !ticket.wait(marking: stolen))
        writer.close()
    }

    @Test func outcomesOfEveryKindAreRecordedInOneCommit() throws {
        let state = try state(subscribers: 6)
        let ledger = PostgresLedger(state: state)
        _ = try ledger.createOrJoin(digest)
        try ledger.startRun(digest: 1)
        let ids = try ledger.claimable(digest: 1, limit: 6, excluding: [], closed: { _ in }).map(\.deliveryID)
        let outcomes: [DeliveryJournal.Outcome] = [
            .sent(messageID: "<a@t>", reply: "250 ok"), .failed(reply: "550 no"), .bounced(reply: "550 5.1.1 unknown"),
            .uncertain(reply: "timeout"), .retry(reply: "451 later", retryAt: nil), .released,
        ]
        let refused = try ledger.apply(ids.map { .sending($0) } + zip(ids, outcomes).map { .outcome($0, $1) })
        #expect(refused.isEmpty)
        #expect(ledger.endRun(digest: 1) == nil)
        let counts = try ledger.counts(digest: 1)
        #expect(counts[.sent] == 1 && counts[.failed] == 2 && counts[.uncertain] == 1 && counts[.pending] == 2)
        #expect(try ledger.activeSubscriberCount() == 5) // the bounced address
        #expect(try ledger.pendingSubscribers(digest: 1).count == 2)
        // The deferred row is due again for the next run, the released one was never tried.
        try ledger.startRun(digest: 1)
        defer { _ = ledger.endRun(digest: 1) }
        #expect(try ledger.claimable(digest: 1, limit: 6, excluding: [], closed: { _ in }).map(\.attempts).sorted() == [0, 1])
    }

    /// Each sender connection reads through a reader of its own (its own connection and
    /// prepared statement): it sees an unsubscribe committed elsewhere at once, and goes on
    /// reading after the server closed its connection.
    @Test func aConnectionsReaderSeesWhatIsCommittedAndOutlivesAClosedConnection() throws {
        let state = try state(subscribers: 2)
        let ledger = PostgresLedger(state: state)
        let reader = try ledger.statusReader()
        #expect(try reader.status(of: 1) == .active)
        try state.session.query("UPDATE subscribers SET status = 'unsubscribed' WHERE id = 1")
        #expect(try reader.status(of: 1) == .unsubscribed)
        #expect(try reader.status(of: 99) == nil)
        try state.session.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        // The client learns of the close a moment later, or from the statement that meets it.
        var read: Subscriber.Status? = nil
        for _ in 0..<50 where read == nil {
            read = try? reader.status(of: 2)
            if read == nil { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(read == .active)
    }

    @Test func theStatusReportShowsEachSender() throws {
        let state = try state(subscribers: 3)
        let ledger = PostgresLedger(state: state, host: "relay-a")
        _ = try ledger.createOrJoin(digest)
        try ledger.startRun(digest: 1)
        let id = try #require(try ledger.claimable(digest: 1, limit: 1, excluding: [], closed: { _ in }).first).deliveryID
        _ = try ledger.apply([.sending(id), .outcome(id, .uncertain(reply: "no answer"))])
        _ = ledger.endRun(digest: 1)
        let report = try StatusReport.load(state)
        #expect(report.digests.first?.deliveries["uncertain"] == 1)
        #expect(report.digests.first?.senders.map(\.host) == ["relay-a"])
        #expect(report.uncertain.map(\.address) == ["r1@example.org"])
    }
}
