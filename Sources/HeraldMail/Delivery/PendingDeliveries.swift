import Foundation
import HeraldState
import Synchronization

/// Hands the pending deliveries of one digest to the connections from memory, so a
/// connection learns its next row without waiting for a commit. Rows are read from the
/// journal a chunk at a time; a row is "in flight" from the moment a connection takes it
/// until its outcome is committed, and is not handed out again meanwhile (it is still
/// `pending` in the journal until its `sending` mark commits).
final class PendingDeliveries: Sendable {
    private let journal: any DeliveryLedger
    private let digest: Int
    private let chunk: Int
    private struct State {
        var queue: [DeliveryJournal.Claim] = [] // reversed: the next row is last
        var inFlight = Set<Int64>()
        var readAt = Date.distantPast
    }
    private let state = Mutex(State())
    /// Told of each row the journal closed because its subscriber had left.
    private let closed: @Sendable (DeliveryJournal.Claim) -> Void
    /// A chunk read longer ago than this is read again before the next row is handed out:
    /// a subscriber who left meanwhile (`herald serve`, one-click) is closed as not sent
    /// by the journal instead of being taken from memory. At most ten reads a second.
    /// The sender still checks each subscriber just before its message starts.
    static let refresh: TimeInterval = 0.1

    init(
        journal: any DeliveryLedger, digest: Int, chunk: Int = 256,
        closed: @escaping @Sendable (DeliveryJournal.Claim) -> Void = { _ in }
    ) {
        self.journal = journal
        self.digest = digest
        self.chunk = chunk
        self.closed = closed
    }

    /// The next row to send, or nil when none is claimable now.
    func next() throws -> DeliveryJournal.Claim? {
        try state.withLock { state in
            if state.queue.isEmpty || Date().timeIntervalSince(state.readAt) >= Self.refresh {
                state.queue = try journal.claimable(digest: digest, limit: chunk, excluding: state.inFlight, closed: closed).reversed()
                state.readAt = Date()
            }
            guard let claim = state.queue.popLast() else { return nil }
            state.inFlight.insert(claim.deliveryID)
            return claim
        }
    }

    /// Rows taken by a connection whose outcome is not committed yet.
    var inFlightCount: Int {
        state.withLock { $0.inFlight.count }
    }

    /// The writer committed these changes: rows with an outcome are no longer in flight
    /// (a retry or a released row becomes claimable again through the journal).
    func committed(_ changes: [DeliveryJournal.Change]) {
        state.withLock { state in
            for case .outcome(let id, _) in changes { state.inFlight.remove(id) }
        }
    }
}
