import HeraldState
import NIOPosix
import Synchronization

/// Group commit for unsubscribes: requests that arrive while a transaction is being
/// written wait and go together into the next one. Each answer is sent only after its
/// commit, so every 200 is durable; under load a batch shares one fsync, which is what
/// lets one-click POSTs outrun the disk's commits per second.
final class UnsubscribeQueue: Sendable {
    typealias Waiter = CheckedContinuation<Subscriptions.Leave, any Error>
    private struct State {
        var waiting: [(token: UnsubscribeLinkToken, consent: Subscriptions.Consent, waiter: Waiter)] = []
        var writing = false
    }

    private let subscriptions: any SubscriptionStorage
    private let state = Mutex(State())
    /// Bounds a transaction's length, so the first in a batch is not kept long.
    static let maximumBatch = 256

    init(subscriptions: any SubscriptionStorage) { self.subscriptions = subscriptions }

    func unsubscribe(_ token: UnsubscribeLinkToken, consent: Subscriptions.Consent) async throws -> Subscriptions.Leave {
        try await withCheckedThrowingContinuation { (waiter: Waiter) in
            let start = state.withLock { state in
                state.waiting.append((token, consent, waiter))
                if state.writing { return false }
                state.writing = true
                return true
            }
            if start { NIOThreadPool.singleton.submit { _ in self.drain() } }
        }
    }

    /// Writes batches until nobody waits; runs on one pool thread at a time.
    private func drain() {
        while true {
            let batch = state.withLock { state -> [(token: UnsubscribeLinkToken, consent: Subscriptions.Consent, waiter: Waiter)] in
                let batch = Array(state.waiting.prefix(Self.maximumBatch))
                state.waiting.removeFirst(batch.count)
                if batch.isEmpty { state.writing = false }
                return batch
            }
            if batch.isEmpty { return }
            do {
                let answers = try subscriptions.unsubscribe(batch.map { ($0.token, $0.consent) })
                for (item, answer) in zip(batch, answers) { item.waiter.resume(returning: answer) }
            } catch {
                for item in batch { item.waiter.resume(throwing: error) }
            }
        }
    }
}
