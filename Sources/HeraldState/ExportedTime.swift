import Foundation
import HeraldBase

/// A time as mailing-list tools export it: Mailchimp's `2024-01-01 10:00:00` (UTC),
/// listmonk's `2024-01-01 10:00:00.123456+00:00` or `2024-01-01`, Herald's own RFC 3339
/// `2024-01-01T10:00:00Z`. Without an offset a time is UTC, as both tools write it.
enum ExportedTime {
    static func parse(_ text: String) -> Date? {
        let s = Array(text.utf8)
        var i = 0
        func number(_ digits: Int) -> Int? {
            guard i + digits <= s.count else { return nil }
            var n = 0
            for b in s[i..<i + digits] {
                guard (48...57).contains(b) else { return nil }
                n = n * 10 + Int(b - 48)
            }
            i += digits
            return n
        }
        func skip(_ byte: UInt8) -> Bool {
            guard i < s.count, s[i] == byte else { return false }
            i += 1
            return true
        }
        guard let year = number(4), skip(45), let month = number(2), skip(45), let day = number(2),
            (1...12).contains(month), (1...CivilTime.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        var seconds = 0
        var fraction = 0.0
        var offset = 0
        if skip(UInt8(ascii: "T")) || skip(UInt8(ascii: " ")) {
            guard let hour = number(2), skip(58), let minute = number(2), hour < 24, minute < 60 else { return nil }
            seconds = hour * 3600 + minute * 60
            if skip(58) {
                guard let second = number(2), second < 61 else { return nil }
                seconds += second
                if skip(46) {
                    var scale = 0.1
                    while i < s.count, (48...57).contains(s[i]) {
                        fraction += Double(s[i] - 48) * scale
                        scale /= 10
                        i += 1
                    }
                }
            }
            _ = skip(UInt8(ascii: " "))
            if skip(UInt8(ascii: "Z")) {
            } else if i < s.count, s[i] == 43 || s[i] == 45 {
                let sign = s[i] == 45 ? -1 : 1
                i += 1
                guard let hours = number(2) else { return nil }
                _ = skip(58)
                let minutes = i < s.count ? (number(2) ?? -1) : 0
                guard minutes >= 0, minutes < 60 else { return nil }
                offset = sign * (hours * 3600 + minutes * 60)
            } else if Array("UTC".utf8) == Array(s[i...]) {
                i = s.count
            }
        }
        guard i == s.count else { return nil }
        let days = CivilTime.days(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: Double(days * 86_400 + seconds - offset) + fraction)
    }
}
