import Foundation
import Testing

@testable import HeraldBase

/// `Background` runs its work on another thread and hands back the same value to every
/// reader; `releaseInBackground` frees what it is given there, not on the caller's thread.
@Suite struct BackgroundTests {
    final class Freed: @unchecked Sendable {
        let onFree: @Sendable (pthread_t) -> Void
        init(_ onFree: @escaping @Sendable (pthread_t) -> Void) { self.onFree = onFree }
        deinit { onFree(pthread_self()) }
    }

    final class Record: @unchecked Sendable {
        private let lock = NSLock()
        private var threads: [pthread_t] = []
        let done = DispatchSemaphore(value: 0)
        func add(_ thread: pthread_t) {
            lock.withLock { threads.append(thread) }
            done.signal()
        }
        var all: [pthread_t] { lock.withLock { threads } }
    }

    @Test func theWorkRunsElsewhereOnceAndEveryReaderGetsItsResult() {
        let caller = pthread_self()
        let work = Background { (pthread_equal(pthread_self(), caller) == 0, UUID()) }
        let first = work.value
        #expect(first.0)
        #expect(work.value.1 == first.1)
    }

    @Test func aReleasedGraphIsFreedOnAnotherThread() {
        let record = Record()
        var object: Freed? = Freed { record.add($0) }
        releaseInBackground(object.take()!)
        #expect(object == nil)
        #expect(record.done.wait(timeout: .now() + 10) == .success)
        #expect(record.all.count == 1)
        #expect(pthread_equal(record.all[0], pthread_self()) == 0)
    }
}
