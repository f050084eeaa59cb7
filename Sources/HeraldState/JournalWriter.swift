import Foundation

/// Group commit for every connection of a send. One thread takes all the changes queued
/// since its last commit and applies them in one transaction (one WAL fsync); what
/// arrives meanwhile waits for the next one. The commit rate follows the load, and a
/// connection waits for a commit only where the guarantee needs it: before the final
/// "." of a message whose `sending` mark is in that commit.
public final class JournalWriter: @unchecked Sendable {
    /// The commit of one submission.
    public final class Ticket: @unchecked Sendable {
        private let condition = NSCondition()
        private var done = false
        private var failure: String?
        private var refused: Set<Int64> = []

        fileprivate func finish(_ failure: String?, refused: Set<Int64> = []) {
            condition.lock()
            done = true
            self.failure = failure
            self.refused = refused
            condition.broadcast()
            condition.unlock()
        }

        /// Returns once the changes are committed; throws if the commit failed.
        public func wait() throws(Failure) {
            condition.lock()
            while !done { condition.wait() }
            let failure = self.failure
            condition.unlock()
            if let failure { throw Failure(description: failure) }
        }

        /// Returns once the changes are committed: whether `delivery`'s `sending` mark in them
        /// took (false: the row is another sender's now, and must not be sent).
        public func wait(marking delivery: Int64) throws(Failure) -> Bool {
            try wait()
            condition.lock()
            defer { condition.unlock() }
            return !refused.contains(delivery)
        }
    }

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    private let journal: any DeliveryLedger
    /// Told which changes are committed, on the writer thread, before their tickets finish.
    private let committed: @Sendable ([DeliveryJournal.Change]) -> Void
    // Guarded by `condition`.
    private let condition = NSCondition()
    private var queue: [(changes: [DeliveryJournal.Change], ticket: Ticket)] = []
    private var closing = false
    private let ended = DispatchSemaphore(value: 0)

    public init(journal: any DeliveryLedger, committed: @escaping @Sendable ([DeliveryJournal.Change]) -> Void = { _ in }) {
        self.journal = journal
        self.committed = committed
        let thread = Thread { [self] in loop() }
        thread.name = "journal"
        thread.start()
    }

    /// Queues `changes` for the next commit. An empty submission is committed at once.
    public func submit(_ changes: [DeliveryJournal.Change]) -> Ticket {
        let ticket = Ticket()
        guard !changes.isEmpty else {
            ticket.finish(nil)
            return ticket
        }
        condition.lock()
        queue.append((changes, ticket))
        condition.signal()
        condition.unlock()
        return ticket
    }

    /// Commits what is queued, then ends the writer thread. Nothing may be submitted after.
    public func close() {
        condition.lock()
        closing = true
        condition.signal()
        condition.unlock()
        ended.wait()
    }

    private func loop() {
        while true {
            condition.lock()
            while queue.isEmpty && !closing { condition.wait() }
            let batch = queue
            queue.removeAll(keepingCapacity: true)
            condition.unlock()
            if batch.isEmpty {
                ended.signal()
                return
            }
            let changes = batch.flatMap(\.changes)
            var failure: String? = nil
            var refused: Set<Int64> = []
            do { refused = try journal.apply(changes) } catch { failure = "\(error)" }
            if failure == nil { committed(changes) }
            for entry in batch { entry.ticket.finish(failure, refused: refused) }
        }
    }
}
