#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Wall-clock and CPU time between laps, for `--timing`. CPU time is what a stage costs
/// whatever else the machine is doing; wall time is what the user waits.
struct Stopwatch {
    private var wall = Self.wallNow()
    private var cpu = Self.cpuNow()

    mutating func lap() -> String {
        let (w, c) = (Self.wallNow(), Self.cpuNow())
        defer { (wall, cpu) = (w, c) }
        return String(format: "%.3f s wall, %.3f s CPU", w - wall, c - cpu)
    }

    private static func wallNow() -> Double { clock(CLOCK_MONOTONIC) }
    private static func cpuNow() -> Double { clock(CLOCK_PROCESS_CPUTIME_ID) }

    private static func clock(_ id: clockid_t) -> Double {
        var ts = timespec()
        clock_gettime(id, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
