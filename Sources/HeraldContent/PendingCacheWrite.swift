import Foundation

/// The scan cache being written on a thread of its own while the build goes on: on a first
/// build, encoding and writing 10,000 entries (some 7 MB) then overlaps planning, rendering
/// and the commit's fsyncs instead of coming before them. Whoever started it waits for it
/// before the process may exit; a write cut short by an exit leaves only a temporary file
/// that is never renamed into place, and the next build reads every post again.
package final class PendingCacheWrite: @unchecked Sendable {
    // Signalled once by the writing thread; `wait` passes the signal on, so it may be called again.
    private let done = DispatchSemaphore(value: 0)

    package init(_ work: @escaping @Sendable () -> Void) {
        let thread = Thread { [done] in
            work()
            done.signal()
        }
        thread.start()
    }

    package func wait() {
        done.wait()
        done.signal()
    }
}
