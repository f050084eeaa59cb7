import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Wall-clock and CPU time since it was made (`total`) or since the last `lap()`, for
/// build reports and `--timing`. CPU time is what a stage costs whatever else the shared
/// machine is doing; wall time is what the user waits.
public struct Stopwatch {
    public struct Lap: Sendable, CustomStringConvertible {
        public let wall: Double
        public let cpu: Double
        public var description: String { String(format: "%.3f s wall, %.3f s CPU", wall, cpu) }
    }

    private let start: Lap
    private var last: Lap

    package init() {
        start = Self.now()
        last = start
    }

    /// Wall seconds since the stopwatch was made.
    package var total: Double { Self.now().wall - start.wall }

    package mutating func lap() -> Lap {
        let now = Self.now()
        defer { last = now }
        return Lap(wall: now.wall - last.wall, cpu: now.cpu - last.cpu)
    }

    private static func now() -> Lap {
        Lap(wall: seconds(CLOCK_MONOTONIC), cpu: seconds(CLOCK_PROCESS_CPUTIME_ID))
    }

    private static func seconds(_ id: clockid_t) -> Double {
        var ts = timespec()
        clock_gettime(id, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
