import Foundation

/// Internet timestamps (feeds, the mail Date header), written in the given offset (`+08:00` stays `+08:00`).
/// Done with `CivilTime` rather than `DateFormatter`: no locale can leak
/// in (RFC 822 wants English day and month names), and 10,000 posts cost nothing.
package enum InternetDates {
    /// RFC 3339 for Atom: `2023-04-28T15:00:00+08:00` (whole seconds; `Z` for UTC).
    package static func rfc3339(_ date: Date, offset: Int) -> String {
        let c = CivilTime(date, offset: offset)
        let zone = offset == 0 ? "Z" : zoneText(offset, colon: true)
        return "\(pad(c.year, 4))-\(pad(c.month))-\(pad(c.day))T\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second))\(zone)"
    }

    /// RFC 822 (with a four-digit year, as RSS 2.0 asks) for RSS: `Fri, 28 Apr 2023 15:00:00 +0800`.
    package static func rfc822(_ date: Date, offset: Int) -> String {
        let c = CivilTime(date, offset: offset)
        return "\(weekdays[c.weekday]), \(pad(c.day)) \(months[c.month - 1]) \(pad(c.year, 4)) "
            + "\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second)) \(zoneText(offset, colon: false))"
    }

    /// The HTTP date (RFC 9110 IMF-fixdate): `Tue, 01 Dec 2026 17:52:28 GMT`.
    package static func http(_ date: Date) -> String {
        String(rfc822(date, offset: 0).dropLast(5)) + "GMT"
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
}
