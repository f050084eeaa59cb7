import Foundation
import Synchronization

/// `smtp.rate`: at most `perSecond` messages per second across all connections.
/// Each caller books the next free slot and sleeps until it; no bursts.
final class RateLimiter: Sendable {
    private let interval: Double
    private let next = Mutex(0.0)

    init?(perSecond: Int) {
        guard perSecond > 0 else { return nil }
        interval = 1 / Double(perSecond)
    }

    func wait() {
        let now = ProcessInfo.processInfo.systemUptime
        let slot = next.withLock { next -> Double in
            let slot = max(now, next)
            next = slot + interval
            return slot
        }
        if slot > now { Thread.sleep(forTimeInterval: slot - now) }
    }
}
