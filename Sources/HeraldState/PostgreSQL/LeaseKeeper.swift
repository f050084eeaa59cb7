import Foundation

/// Renews a sender's claims every third of its lease, on a thread of its own, for as long
/// as the sender runs: a live sender's claims are never taken over, however long one
/// message takes. A sender killed stops renewing, and its lease runs out.
public final class LeaseKeeper: @unchecked Sendable {
    private let journal: PostgresSenderJournal
    private let condition = NSCondition()
    private var stopping = false
    private var failure: String?
    private let ended = DispatchSemaphore(value: 0)

    public init(journal: PostgresSenderJournal) {
        self.journal = journal
        let thread = Thread { [self] in loop() }
        thread.name = "lease"
        thread.start()
    }

    /// Ends the renewals; returns the last renewal's failure, if one failed (the sender
    /// should then stop: its claims may go to another sender).
    @discardableResult
    public func stop() -> String? {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
        ended.wait()
        return failure
    }

    /// Whether the last renewal failed.
    public var failed: String? {
        condition.lock()
        defer { condition.unlock() }
        return failure
    }

    private func loop() {
        let interval = Double(journal.lease) / 3
        condition.lock()
        while !stopping {
            _ = condition.wait(until: Date().addingTimeInterval(interval))
            if stopping { break }
            condition.unlock()
            var problem: String? = nil
            do { try journal.renew() } catch { problem = "\(error)" }
            condition.lock()
            failure = problem
        }
        condition.unlock()
        ended.signal()
    }
}
