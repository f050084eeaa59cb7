import Foundation
import HeraldBase
import HeraldState
import HeraldTestSupport
import Testing

@Suite struct DeliveryJournalTests {
    let dir: TempDir
    let journal: DeliveryJournal
    let store: SubscriberStore

    init() throws {
        dir = try TempDir()
        let db = try StateDatabase(directory: dir.url)
        journal = DeliveryJournal(database: db)
        store = SubscriberStore(database: db)
        for i in 1...5 { _ = try store.add(EmailAddress("r\(i)@example.org"), name: nil) }
    }

    func digest(_ number: Int, at date: Date = Date()) -> DigestRecord {
        DigestRecord(
            number: number, postIDs: ["https://e.org/p/\(number)/"], subject: "S #\(number)",
            createdAt: date, newestPostDate: date.addingTimeInterval(-60))
    }

    @Test func creatingADigestJournalsOnePendingDeliveryPerActiveSubscriber() throws {
        try store.setStatus(EmailAddress("r5@example.org"), .unsubscribed)
        #expect(try journal.create(digest(1)) == 4)
        #expect(try journal.counts(digest: 1)[.pending] == 4)
        #expect(try journal.lastSentDigest()?.number == 1)
        #expect(try journal.lastSentDigest()?.postIDs == ["https://e.org/p/1/"])
        #expect(try journal.unfinishedDigest()?.number == 1)
        #expect(try journal.nextDigestNumber() == 2)
    }

    @Test func claimMarksSendingAndOutcomesAreRecordedTogether() throws {
        try journal.create(digest(1))
        let batch = try journal.claim(digest: 1, limit: 3)
        #expect(batch.map(\.subscriber.address.description) == ["r1@example.org", "r2@example.org", "r3@example.org"])
        #expect(try journal.counts(digest: 1)[.sending] == 3)
        // Nobody else can claim the same rows.
        #expect(try journal.claim(digest: 1, limit: 10).map(\.subscriber.address.description) == ["r4@example.org", "r5@example.org"])
        try journal.record([
            (batch[0].deliveryID, .sent(messageID: "<a@x>", reply: "250 OK")),
            (batch[1].deliveryID, .failed(reply: "550 no such user")),
            (batch[2].deliveryID, .retry(reply: "451 later", retryAt: Date().addingTimeInterval(3600))),
        ])
        let counts = try journal.counts(digest: 1)
        #expect(counts[.sent] == 1 && counts[.failed] == 1 && counts[.pending] == 1 && counts[.sending] == 2)
        // The backed-off row is not claimable before its time, and is after it.
        #expect(try journal.remaining(digest: 1).claimable == 0)
        #expect(try journal.remaining(digest: 1).nextRetry != nil)
        #expect(try journal.claim(digest: 1, limit: 10, now: Date().addingTimeInterval(7200)).map(\.attempts) == [1])
    }

    @Test func sendingRowsLeftByACrashBecomeUncertainAndAreNotResentUnlessAsked() throws {
        try journal.create(digest(1))
        _ = try journal.claim(digest: 1, limit: 2) // then the process "dies"
        #expect(try journal.markInterruptedUncertain() == 2)
        #expect(try journal.counts(digest: 1)[.uncertain] == 2)
        #expect(try journal.claim(digest: 1, limit: 10).count == 3)
        #expect(try journal.resendUncertain() == 2)
        #expect(try journal.counts(digest: 1)[.pending] == 2)
    }

    @Test func retriesUsedUpWaitForTheNextRun() throws {
        try journal.create(digest(1))
        let batch = try journal.claim(digest: 1, limit: 1)
        try journal.record([(batch[0].deliveryID, .retry(reply: "451", retryAt: nil))])
        let far = Date().addingTimeInterval(86_400 * 365)
        #expect(try journal.claim(digest: 1, limit: 10, now: far).count == 4) // only the others
        try journal.startRun(digest: 1)
        #expect(try journal.claim(digest: 1, limit: 10).count == 1)
    }

    @Test func aBouncedAddressIsSkippedByTheNextDigest() throws {
        try journal.create(digest(1))
        let batch = try journal.claim(digest: 1, limit: 1)
        try journal.record([(batch[0].deliveryID, .bounced(reply: "550 5.1.1 unknown"))])
        #expect(try journal.counts(digest: 1)[.failed] == 1)
        #expect(try store.count(.bounced) == 1)
        #expect(try journal.create(digest(2)) == 4)
    }

    @Test func releasedRowsArePendingAgainWithoutAnAttempt() throws {
        try journal.create(digest(1))
        let batch = try journal.claim(digest: 1, limit: 1)
        try journal.record([(batch[0].deliveryID, .released)])
        #expect(try journal.claim(digest: 1, limit: 1).first?.attempts == 0)
    }

    @Test func subscribersWhoLeftAreNotSent() throws {
        try journal.create(digest(1))
        try store.setStatus(EmailAddress("r1@example.org"), .unsubscribed)
        #expect(try journal.claim(digest: 1, limit: 10).count == 4)
        #expect(try journal.counts(digest: 1)[.failed] == 1)
    }

    @Test func oldPendingDeliveriesAreGivenUp() throws {
        let old = Date().addingTimeInterval(-10 * 86_400)
        try journal.create(digest(1, at: old))
        try journal.create(digest(2))
        #expect(try journal.giveUp(createdBefore: Date().addingTimeInterval(-5 * 86_400)) == 5)
        #expect(try journal.unfinishedDigest()?.number == 2)
    }
}
