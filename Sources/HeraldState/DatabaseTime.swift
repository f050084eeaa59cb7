import Foundation
import GRDB

/// A date as GRDB stores it (`yyyy-MM-dd HH:mm:ss.SSS`, UTC), without its DateFormatter:
/// the journal stamps every commit of a send, and ICU's formatting was a fiftieth of a
/// send's CPU time. `DatabaseTimeTests` holds it to GRDB's own `Date.databaseValue`.
enum DatabaseTime {
    static func value(_ date: Date) -> DatabaseValue { text(date)?.databaseValue ?? date.databaseValue }

    /// Nil outside years 1000-9999 (GRDB's formatter then does it).
    static func text(_ date: Date) -> String? {
        // The milliseconds since 1970, rounded as GRDB's formatter rounds them.
        let millis = ((date.timeIntervalSinceReferenceDate + 978_307_200.0) * 1000.0).rounded()
        guard abs(millis) < 1e15 else { return nil }
        let total = Int64(millis)
        var seconds = time_t(total.floorDivided(by: 1000))
        let fraction = Int(total - Int64(seconds) * 1000)
        var parts = tm()
        guard gmtime_r(&seconds, &parts) != nil, parts.tm_year + 1900 >= 1000, parts.tm_year + 1900 <= 9999 else {
            return nil
        }
        var out: [UInt8] = []
        out.reserveCapacity(23)
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            while divisor > 0 { out.append(UInt8(0x30 + value / divisor % 10)); divisor /= 10 }
        }
        digits(Int(parts.tm_year) + 1900, 4); out.append(0x2D)
        digits(Int(parts.tm_mon) + 1, 2); out.append(0x2D)
        digits(Int(parts.tm_mday), 2); out.append(0x20)
        digits(Int(parts.tm_hour), 2); out.append(0x3A)
        digits(Int(parts.tm_min), 2); out.append(0x3A)
        digits(Int(parts.tm_sec), 2); out.append(0x2E)
        digits(fraction, 3)
        return String(decoding: out, as: UTF8.self)
    }
}

private extension Int64 {
    func floorDivided(by divisor: Int64) -> Int64 {
        let q = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? q - 1 : q
    }
}
