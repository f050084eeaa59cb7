import Foundation
import HeraldBase
import HeraldState
import HeraldTestSupport
import Testing

/// The sender's per-connection status reader sees every commit made before each read.
@Suite struct SubscriptionReaderTests {
    let dir: TempDir
    let journal: DeliveryJournal
    let store: SubscriberStore

    init() throws {
        dir = try TempDir()
        let db = try StateDatabase(directory: dir.url)
        journal = DeliveryJournal(database: db)
        store = SubscriberStore(database: db)
        for i in 1...3 { _ = try store.add(EmailAddress("r\(i)@example.org"), name: nil) }
        try journal.create(DigestRecord(number: 1, postIDs: [], subject: "S", createdAt: Date(), newestPostDate: Date()))
    }

    @Test func eachReadSeesWhatWasCommittedBeforeIt() throws {
        let rows = try journal.claimable(digest: 1, limit: 3, excluding: [])
        let reader = try journal.statusReader()
        #expect(reader is SubscriptionReader) // SQLite's own, not the plain way through the pool
        for row in rows { #expect(try reader.status(of: row.subscriber.id) == .active) }
        // Committed by another connection (as herald serve does) after the reader's last read.
        _ = try store.setStatus(rows[1].subscriber.address, .unsubscribed)
        _ = try store.setStatus(rows[2].subscriber.address, .bounced)
        #expect(try reader.status(of: rows[0].subscriber.id) == .active)
        #expect(try reader.status(of: rows[1].subscriber.id) == .unsubscribed)
        #expect(try reader.status(of: rows[2].subscriber.id) == .bounced)
        // The same answers as the journal's own read.
        for row in rows { #expect(try reader.status(of: row.subscriber.id) == journal.currentStatus(of: row.subscriber.id)) }
    }

    @Test func aSubscriberRowThatIsGoneReadsAsNil() throws {
        let reader = try journal.statusReader()
        #expect(try reader.status(of: 9_999) == nil)
    }
}
