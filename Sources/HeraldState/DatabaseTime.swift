import Foundation
import GRDB
import HeraldBase

/// A date as GRDB stores it (`yyyy-MM-dd HH:mm:ss.SSS`, UTC), without its DateFormatter
/// (the fields from `CivilTime`, the project's one calendar routine):
/// the journal stamps every commit of a send (BENCHMARKS.md, "The per-message CPU cuts").
/// `DatabaseTimeTests` holds it to GRDB's own `Date.databaseValue`.
enum DatabaseTime {
    static func value(_ date: Date) -> DatabaseValue { text(date)?.databaseValue ?? date.databaseValue }

    /// Nil outside years 1000-9999 (GRDB's formatter then does it).
    static func text(_ date: Date) -> String? {
        // The milliseconds since 1970, rounded as GRDB's formatter rounds them.
        let millis = ((date.timeIntervalSinceReferenceDate + 978_307_200.0) * 1000.0).rounded()
        guard abs(millis) < 1e15 else { return nil }
        // Whole milliseconds below 1e15 are exact doubles; the quotient errs by far less than
        // the 0.001 that separates it from the next whole second, so its floor is exact.
        let seconds = (millis / 1000).rounded(.down)
        let fraction = Int(millis - seconds * 1000)
        let parts = CivilTime(Date(timeIntervalSince1970: seconds), offset: 0)
        guard (1000...9999).contains(parts.year) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(23)
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            while divisor > 0 {
                out.append(UInt8(0x30 + value / divisor % 10))
                divisor /= 10
            }
        }
        digits(parts.year, 4)
        out.append(0x2D)
        digits(parts.month, 2)
        out.append(0x2D)
        digits(parts.day, 2)
        out.append(0x20)
        digits(parts.hour, 2)
        out.append(0x3A)
        digits(parts.minute, 2)
        out.append(0x3A)
        digits(parts.second, 2)
        out.append(0x2E)
        digits(fraction, 3)
        return String(decoding: out, as: UTF8.self)
    }
}
