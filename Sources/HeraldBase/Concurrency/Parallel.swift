import Foundation

/// `transform` applied to every element on all cores, results in input order.
/// Posts are independent, and both scan and render are CPU-bound per file.
package func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
    guard items.count > 1 else { return items.map(transform) }
    let results = ResultSlots<R>(count: items.count)
    // A few chunks per core: big enough to amortize dispatch, small enough to balance
    // posts of very different sizes.
    let chunks = min(items.count, ProcessInfo.processInfo.activeProcessorCount * 8)
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        var i = chunk
        while i < items.count {
            results.set(i, transform(items[i]))
            i += chunks
        }
    }
    return results.collect()
}

/// `transform` of each item on threads of their own, up to `width` at once, in order: for
/// work that waits on the disk (fsync), which `parallelMap`'s thread per core would queue
/// one behind the other while the file system commits several in one journal transaction.
package func waitingMap<T: Sendable, R: Sendable>(_ items: [T], width: Int = 16, _ transform: @escaping @Sendable (T) -> R) -> [R] {
    guard items.count > 1 else { return items.map(transform) }
    let slots = ResultSlots<R>(count: items.count)
    let group = DispatchGroup()
    let threads = min(width, items.count)
    for first in 0..<threads {
        group.enter()
        Thread {
            var i = first
            while i < items.count {
                slots.set(i, transform(items[i]))
                i += threads
            }
            group.leave()
        }.start()
    }
    group.wait()
    return slots.collect()
}

/// Each index is written by exactly one worker and read after all have finished, so
/// the slots need no lock.
private final class ResultSlots<R>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<R?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    func set(_ index: Int, _ value: R) { slots[index] = value }

    /// Moves the results out (no copy of each value).
    func collect() -> [R] { (0..<slots.count).map { slots[$0].take()! } }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }
}

/// `work` started at once on a thread of its own; `value` waits for its result (and may be
/// read again). For work that does not depend on what the caller does meanwhile, so a
/// phase that is mostly one thread's (parsing a feed) does not leave the other cores idle.
package final class Background<R: Sendable>: @unchecked Sendable {
    private let finished = DispatchGroup()
    /// Written once by the worker before `finished` is left; read only after waiting on it.
    private var result: R? = nil

    package init(_ work: @escaping @Sendable () -> R) {
        finished.enter()
        Thread { [self] in
            result = work()
            finished.leave()
        }.start()
    }

    package var value: R {
        finished.wait()
        return result!
    }

    /// Waits for the work, for work run for its effect (a cache written while a build goes on).
    package func wait() { _ = value }
}

/// Drops `value` — the last reference to a large graph, a parsed feed's XML tree — on
/// another thread, so freeing its thousands of nodes is off the caller's path. The caller
/// must hand over its own reference (`releaseInBackground(consume tree)`), or the free
/// happens wherever the last one goes.
package func releaseInBackground<T>(_ value: consuming T) {
    let box = ReleaseBox(value)
    DispatchQueue.global(qos: .utility).async { box.drop() }
}

private final class ReleaseBox<T>: @unchecked Sendable {
    /// Set once on the caller's thread, emptied once on the worker: never both at once.
    private var value: T?
    init(_ value: consuming T) { self.value = value }
    func drop() { value = nil }
}
