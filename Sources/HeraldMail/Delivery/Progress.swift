import Foundation
import HeraldState
import Synchronization

/// Counts of one send, shared by the connections; drawn as a bar on a terminal
/// or logged as plain lines (journald) by the command.
public final class Progress: Sendable {
    public struct Counts: Sendable {
        public var total = 0
        public var sent = 0
        public var failed = 0
        /// Temporary failures waiting for a retry in this run.
        public var retrying = 0
        /// Left pending for the next run (retries used up).
        public var deferred = 0
        /// Sent without an answer to the final ".": the server may have them; not resent.
        public var uncertain = 0
        /// Not sent because the subscriber unsubscribed after the digest was journaled
        /// (`failed` in the journal, with "not sent: subscriber is unsubscribed").
        public var skippedUnsubscribed = 0
        /// Not sent because the subscriber bounced meanwhile (`failed` in the journal).
        public var skippedBounced = 0
        public var pending: Int {
            max(0, total - sent - failed - deferred - uncertain - skippedUnsubscribed - skippedBounced)
        }

        public init() {}

        /// `sent 9996, failed 1, skipped (unsubscribed) 1, uncertain 2, left pending 0 of 10000`:
        /// the end-of-run line; every delivery of the digest is in exactly one of its counts.
        public var summary: String {
            let bounced = skippedBounced > 0 ? ", skipped (bounced) \(skippedBounced)" : ""
            return "sent \(sent), failed \(failed), skipped (unsubscribed) \(skippedUnsubscribed)\(bounced), "
                + "uncertain \(uncertain), left pending \(deferred + pending) of \(total)"
        }

        /// Counts a delivery not sent because its subscriber has `status` now.
        mutating func skip(_ status: Subscriber.Status) {
            if status == .bounced { skippedBounced += 1 } else { skippedUnsubscribed += 1 }
        }
    }

    private let counts = Mutex(Counts())
    private let started = Date()

    public init(total: Int) { counts.withLock { $0.total = total } }

    public var snapshot: Counts { counts.withLock { $0 } }

    func update(_ change: (inout Counts) -> Void) { counts.withLock { change(&$0) } }

    /// Messages per second so far.
    public var rate: Double {
        let elapsed = Date().timeIntervalSince(started)
        return elapsed > 0 ? Double(snapshot.sent + snapshot.failed) / elapsed : 0
    }

    /// `[#######·····]  45%  sent 9000  failed 3  pending 11000  4123 msg/s  ETA 0:03`
    public func bar(width: Int = 24) -> String {
        let c = snapshot
        let done = c.total - c.pending
        let fraction = c.total > 0 ? Double(done) / Double(c.total) : 1
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "·", count: width - filled)
        let r = rate
        let eta = r > 0 ? Self.duration(Double(c.pending) / r) : "--:--"
        return String(
            format: "[%@] %3d%%  sent %d  failed %d  pending %d  %.0f msg/s  ETA %@",
            bar, Int(fraction * 100), c.sent, c.failed, c.pending, r, eta)
    }

    /// One line for a log: `sent 9000/20000, failed 3, retrying 2, 4123 msg/s`.
    public func line() -> String {
        let c = snapshot
        return String(
            format: "sent %d/%d, failed %d, retrying %d, pending %d, %.0f msg/s",
            c.sent, c.total, c.failed, c.retrying, c.pending, rate)
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
