import Foundation
import HeraldBase

/// A front matter date: RFC 3339 with an offset (`2024-05-03T15:00:00+08:00`), or a
/// local `YYYY-MM-DD HH:MM[:SS]` / `YYYY-MM-DD` read in the publication's time zone.
/// Parsed by hand: it runs once per post in every scan, and the formats are fixed.
struct PostDate: Equatable {
    let date: Date
    /// Seconds east of UTC the date was written with (or the zone's offset at that time).
    let utcOffset: Int

    enum Problem: Error, Equatable {
        case malformed
        case notARealDay
        case notARealTime
    }

    static func parse(_ raw: String, timeZone: TimeZone) throws(Problem) -> PostDate {
        var s = Scanner(Array(raw.utf8))
        let year = try s.digits(4)
        try s.expect(UInt8(ascii: "-"))
        let month = try s.digits(2)
        try s.expect(UInt8(ascii: "-"))
        let day = try s.digits(2)
        guard (1...12).contains(month), (1...CivilTime.daysIn(month: month, year: year)).contains(day) else {
            throw .notARealDay
        }
        var hour = 0
        var minute = 0
        var second = 0.0
        if s.take(UInt8(ascii: "T")) || s.take(UInt8(ascii: "t")) || (s.take(UInt8(ascii: " ")) && !s.atEnd) {
            hour = try s.digits(2)
            try s.expect(UInt8(ascii: ":"))
            minute = try s.digits(2)
            if s.take(UInt8(ascii: ":")) {
                second = Double(try s.digits(2))
                if s.take(UInt8(ascii: ".")) { second += try s.fraction() }
            }
            guard hour < 24, minute < 60, second < 60 else { throw .notARealTime }
        }
        let local = Double(CivilTime.days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60) + second
        _ = s.take(UInt8(ascii: " "))
        let offset: Int
        if s.take(UInt8(ascii: "Z")) || s.take(UInt8(ascii: "z")) {
            offset = 0
        } else if let sign = s.sign() {
            let h = try s.digits(2)
            _ = s.take(UInt8(ascii: ":"))
            let m = try s.digits(2)
            guard h < 24, m < 60 else { throw .notARealTime }
            offset = sign * (h * 3600 + m * 60)
        } else if s.atEnd {
            // No offset written: the wall-clock time in the publication's zone. Ask the zone
            // twice so a time near a DST change lands on the right side of it.
            let guess = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: local))
            offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: local - Double(guess)))
        } else {
            throw .malformed
        }
        guard s.atEnd else { throw .malformed }
        return PostDate(date: Date(timeIntervalSince1970: local - Double(offset)), utcOffset: offset)
    }

    /// Year, month and day of `date` as seen at `utcOffset` (for permalinks).
    static func civil(_ date: Date, utcOffset: Int) -> (year: Int, month: Int, day: Int) {
        let c = CivilTime(date, offset: utcOffset)
        return (c.year, c.month, c.day)
    }
}

private struct Scanner {
    let bytes: [UInt8]
    var i = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { i == bytes.count }

    mutating func take(_ b: UInt8) -> Bool {
        guard i < bytes.count, bytes[i] == b else { return false }
        i += 1
        return true
    }

    mutating func expect(_ b: UInt8) throws(PostDate.Problem) {
        guard take(b) else { throw .malformed }
    }

    mutating func digits(_ n: Int) throws(PostDate.Problem) -> Int {
        guard i + n <= bytes.count else { throw .malformed }
        var value = 0
        for b in bytes[i..<(i + n)] {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) else { throw .malformed }
            value = value * 10 + Int(b - UInt8(ascii: "0"))
        }
        i += n
        return value
    }

    mutating func fraction() throws(PostDate.Problem) -> Double {
        var value = 0.0
        var scale = 0.1
        var any = false
        while i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) {
            value += Double(bytes[i] - UInt8(ascii: "0")) * scale
            scale /= 10
            i += 1
            any = true
        }
        guard any else { throw .malformed }
        return value
    }

    mutating func sign() -> Int? {
        if take(UInt8(ascii: "+")) { return 1 }
        if take(UInt8(ascii: "-")) { return -1 }
        return nil
    }
}
