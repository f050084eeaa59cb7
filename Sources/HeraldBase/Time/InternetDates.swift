import Foundation

/// Internet timestamps (feeds, the mail Date header), written in the given offset (`+08:00` stays `+08:00`).
/// Done with integer calendar arithmetic rather than `DateFormatter`: no locale can leak
/// in (RFC 822 wants English day and month names), and 10,000 posts cost nothing.
package enum InternetDates {
    /// RFC 3339 for Atom: `2023-04-28T15:00:00+08:00` (whole seconds; `Z` for UTC).
    package static func rfc3339(_ date: Date, offset: Int) -> String {
        let c = Civil(date, offset: offset)
        let zone = offset == 0 ? "Z" : zoneText(offset, colon: true)
        return "\(pad(c.year, 4))-\(pad(c.month))-\(pad(c.day))T\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second))\(zone)"
    }

    /// RFC 822 (with a four-digit year, as RSS 2.0 asks) for RSS: `Fri, 28 Apr 2023 15:00:00 +0800`.
    package static func rfc822(_ date: Date, offset: Int) -> String {
        let c = Civil(date, offset: offset)
        return "\(weekdays[c.weekday]), \(pad(c.day)) \(months[c.month - 1]) \(pad(c.year, 4)) "
            + "\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second)) \(zoneText(offset, colon: false))"
    }

    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private static func zoneText(_ offset: Int, colon: Bool) -> String {
        let minutes = abs(offset) / 60
        return (offset < 0 ? "-" : "+") + pad(minutes / 60) + (colon ? ":" : "") + pad(minutes % 60)
    }

    private static func pad(_ n: Int, _ width: Int = 2) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// Wall-clock fields of an instant at a fixed UTC offset.
    private struct Civil {
        var year, month, day, hour, minute, second, weekday: Int

        init(_ date: Date, offset: Int) {
            let seconds = Int(date.timeIntervalSince1970.rounded(.down)) + offset
            let days = seconds.floorDiv(86_400)
            let rest = seconds - days * 86_400
            hour = rest / 3600
            minute = rest % 3600 / 60
            second = rest % 60
            weekday = (days + 4).floorMod(7) // 1970-01-01 was a Thursday
            // Howard Hinnant's civil_from_days.
            let z = days + 719_468
            let era = z.floorDiv(146_097)
            let doe = z - era * 146_097
            let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
            let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
            let mp = (5 * doy + 2) / 153
            day = doy - (153 * mp + 2) / 5 + 1
            month = mp < 10 ? mp + 3 : mp - 9
            year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        }
    }
}

private extension Int {
    func floorDiv(_ d: Int) -> Int { self >= 0 ? self / d : -((-self + d - 1) / d) }
    func floorMod(_ d: Int) -> Int { self - floorDiv(d) * d }
}
