import Foundation
import HeraldBase
import HeraldState
import HeraldTestSupport
import Synchronization
import Testing

@Suite struct JournalWriterTests {
    let dir: TempDir
    let journal: DeliveryJournal

    init() throws {
        dir = try TempDir()
        let db = try StateDatabase(directory: dir.url)
        journal = DeliveryJournal(database: db)
        let store = SubscriberStore(database: db)
        for i in 1...40 { _ = try store.add(EmailAddress("w\(i)@example.org"), name: nil) }
        try journal.create(DigestRecord(number: 1, postIDs: [], subject: "S", createdAt: Date(), newestPostDate: Date()))
    }

    @Test func ticketsReturnOnceTheChangesAreCommittedAndSeeThemAll() throws {
        let rows = try journal.claimable(digest: 1, limit: 40, excluding: [])
        #expect(rows.count == 40)
        #expect(try journal.counts(digest: 1)[.sending] == 0) // claimable marks nothing
        let committed = Committed()
        let writer = JournalWriter(journal: journal) { changes in
            committed.ids.withLock { ids in for case .outcome(let id, _) in changes { ids.append(id) } }
        }
        // Eight threads submit marks then outcomes, as connections do; every wait sees its own commit.
        let journal = journal
        DispatchQueue.concurrentPerform(iterations: 8) { lane in
            for row in rows[(lane * 5)..<(lane * 5 + 5)] {
                try? writer.submit([.sending(row.deliveryID)]).wait()
                #expect(((try? journal.counts(digest: 1)[.sending]) ?? 0) >= 1)
                try? writer.submit([.outcome(row.deliveryID, .sent(messageID: "<m>", reply: "250 ok"))]).wait()
            }
        }
        writer.close()
        #expect(try journal.counts(digest: 1)[.sent] == 40)
        #expect(Set(committed.ids.withLock { $0 }) == Set(rows.map(\.deliveryID)))
    }

    @Test func uncertainIsFinalAndLeavesOutRowsInFlight() throws {
        let first = try journal.claimable(digest: 1, limit: 2, excluding: [])
        try journal.apply([.sending(first[0].deliveryID)])
        try journal.record([(first[0].deliveryID, .uncertain(reply: "timed out: no reply to the final \".\""))])
        #expect(try journal.counts(digest: 1)[.uncertain] == 1)
        let next = try journal.claimable(digest: 1, limit: 1, excluding: [first[1].deliveryID])
        #expect(next.map(\.deliveryID) != [first[1].deliveryID] && next.count == 1)
        #expect(try journal.pendingCount(createdBefore: Date().addingTimeInterval(60)) == 39)
        #expect(try journal.pendingCount(createdBefore: Date().addingTimeInterval(-60)) == 0)
    }

    @Test func aSubscriberWhoLeftAfterTheClaimIsClosedAsNotSent() throws {
        let row = try #require(try journal.claimable(digest: 1, limit: 1, excluding: []).first)
        #expect(try journal.currentStatus(of: row.subscriber.id) == .active)
        try journal.apply([.sending(row.deliveryID)])
        _ = try SubscriberStore(database: try StateDatabase(directory: dir.url)).setStatus(row.subscriber.address, .unsubscribed)
        #expect(try journal.currentStatus(of: row.subscriber.id) == .unsubscribed)
        try journal.apply([.outcome(row.deliveryID, .skipped(.unsubscribed))])
        let counts = try journal.counts(digest: 1)
        #expect(counts[.failed] == 1 && counts[.sending] == 0)
        var closed: [Int64] = []
        _ = try journal.claimable(digest: 1, limit: 40, excluding: []) { closed.append($0.deliveryID) }
        #expect(closed.isEmpty) // already closed, not closed again
    }
}

/// The rows the writer reported committed, from its thread.
private final class Committed: Sendable {
    let ids = Mutex<[Int64]>([])
}
