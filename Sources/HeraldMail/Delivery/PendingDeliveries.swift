import Foundation
import HeraldState

/// Hands the pending deliveries of one digest to the connections from memory, so a
/// connection learns its next row without waiting for a commit. Rows are read from the
/// journal a chunk at a time; a row is "in flight" from the moment a connection takes it
/// until its outcome is committed, and is not handed out again meanwhile (it is still
/// `pending` in the journal until its `sending` mark commits).
final class PendingDeliveries: @unchecked Sendable {
    private let journal: DeliveryJournal
    private let digest: Int
    private let chunk: Int
    // Guarded by `lock`.
    private let lock = NSLock()
    private var queue: [DeliveryJournal.Claim] = []  // reversed: the next row is last
    private var inFlight = Set<Int64>()

    init(journal: DeliveryJournal, digest: Int, chunk: Int = 256) {
        self.journal = journal
        self.digest = digest
        self.chunk = chunk
    }

    /// The next row to send, or nil when none is claimable now.
    func next() throws -> DeliveryJournal.Claim? {
        lock.lock()
        defer { lock.unlock() }
        if queue.isEmpty {
            queue = try journal.claimable(digest: digest, limit: chunk, excluding: inFlight).reversed()
        }
        guard let claim = queue.popLast() else { return nil }
        inFlight.insert(claim.deliveryID)
        return claim
    }

    /// Rows taken by a connection whose outcome is not committed yet.
    var inFlightCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return inFlight.count
    }

    /// The writer committed these changes: rows with an outcome are no longer in flight
    /// (a retry or a released row becomes claimable again through the journal).
    func committed(_ changes: [DeliveryJournal.Change]) {
        lock.lock()
        defer { lock.unlock() }
        for case let .outcome(id, _) in changes { inFlight.remove(id) }
    }
}
