import Foundation
import Synchronization

/// Per-client token buckets for `POST /subscribe`: a short burst, then one request
/// per refill interval. The table is capped so a flood of addresses cannot grow it
/// without bound; when full, the stalest entries go first.
final class SubscribeLimiter: Sendable {
    let burst: Double
    let refill: TimeInterval
    let capacity: Int
    private let buckets = Mutex<[String: (tokens: Double, at: Date)]>([:])

    init(burst: Int = 5, refill: TimeInterval = 20, capacity: Int = 10_000) {
        self.burst = Double(burst)
        self.refill = refill
        self.capacity = capacity
    }

    /// True when `client` may make one more request now (and counts it).
    func allow(_ client: String, now: Date = Date()) -> Bool {
        buckets.withLock { table in
            var bucket = table[client] ?? (burst, now)
            bucket.tokens = min(burst, bucket.tokens + now.timeIntervalSince(bucket.at) / refill)
            bucket.at = now
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            if table[client] == nil, table.count >= capacity {
                let stalest = table.sorted { $0.value.at < $1.value.at }.prefix(capacity / 10 + 1).map(\.key)
                for key in stalest { table[key] = nil }
            }
            table[client] = bucket
            return allowed
        }
    }
}
