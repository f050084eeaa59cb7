import Foundation
import HeraldBase

/// A date as feeds write it: RFC 3339 (Atom, JSON Feed, `dc:date`) or RFC 822 with the
/// variants found in real RSS (no weekday, one-digit days, two-digit years, no seconds,
/// full month and day names, zone names such as `EST` or `CEST`, a trailing comment).
enum FeedDate {
    static func parse(_ raw: String) -> (date: Date, utcOffset: Int)? {
        let text = Whitespace.trimmed(raw)
        guard !text.isEmpty else { return nil }
        if text.utf8.count >= 10, text.utf8.prefix(4).allSatisfy({ (0x30...0x39).contains($0) }),
            let parsed = try? PostDate.parse(text, timeZone: utc)
        {
            return (parsed.date, parsed.utcOffset)
        }
        return rfc822(text)
    }

    private static let utc = TimeZone(identifier: "UTC")!

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Hours east of UTC of the zone names RSS feeds use (RFC 822's and common ones).
    private static let zones: [String: Int] = [
        "gmt": 0, "ut": 0, "utc": 0, "z": 0, "wet": 0, "bst": 1, "cet": 1, "met": 1, "west": 1, "cest": 2, "mest": 2,
        "eet": 2, "eest": 3, "msk": 3, "ist": 5, "hkt": 8, "sgt": 8, "awst": 8, "jst": 9, "kst": 9, "aest": 10,
        "aedt": 11, "nzst": 12, "nzdt": 13, "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6,
        "pst": -8, "pdt": -7, "akst": -9, "akdt": -8, "hst": -10,
    ]

    /// Read on the UTF-8 bytes: a feed of a thousand entries has a thousand dates, and
    /// String's Character-level splitting and lowercasing cost several microseconds each.
    static func rfc822(_ text: String) -> (date: Date, utcOffset: Int)? {
        var bytes = Array(text.utf8)
        // A comment such as "(UTC)" says nothing the offset does not.
        if let open = bytes.firstIndex(of: UInt8(ascii: "(")) { bytes.removeSubrange(open...) }
        var tokens = bytes.split(whereSeparator: { $0 == 0x20 || $0 == 0x2C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D })
        guard !tokens.isEmpty else { return nil }
        // A weekday, in any language: a word first that is no month.
        if let first = tokens[0].first, isLetter(first), monthNumber(tokens[0]) == nil { tokens.removeFirst() }
        guard tokens.count >= 3 else { return nil }
        var day: Int
        var month: Int
        // "02 Jan 2006" or, now and then, "Jan 02 2006".
        if let d = number(tokens[0]), let m = monthNumber(tokens[1]) {
            day = d
            month = m
        } else if let m = monthNumber(tokens[0]), let d = number(tokens[1]) {
            day = d
            month = m
        } else {
            return nil
        }
        guard var year = number(tokens[2]) else { return nil }
        if tokens[2].count == 2 { year += year < 50 ? 2000 : 1900 }
        guard (1...12).contains(month), year >= 1, (1...CivilTime.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        var hour = 0
        var minute = 0
        var second = 0
        var rest = tokens.dropFirst(3)
        if let time = rest.first, time.contains(UInt8(ascii: ":")) {
            let parts = time.split(separator: UInt8(ascii: ":")).map(number)
            guard parts.count >= 2, parts.count <= 3, let h = parts[0], let m = parts[1] else { return nil }
            hour = h
            minute = m
            if parts.count == 3 {
                guard let s = parts[2] else { return nil }
                second = s
            }
            guard hour < 24, minute < 60, second < 61 else { return nil }
            rest = rest.dropFirst()
        }
        let offset = rest.first.flatMap(zoneOffset) ?? 0
        let local = CivilTime.days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + min(second, 59)
        return (Date(timeIntervalSince1970: Double(local - offset)), offset)
    }

    /// ASCII letters, and any byte of a non-ASCII character (a weekday in another script).
    private static func isLetter(_ byte: UInt8) -> Bool {
        byte >= 0x80 || (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A
    }

    /// A run of one to nine ASCII digits.
    private static func number(_ token: ArraySlice<UInt8>) -> Int? {
        guard !token.isEmpty, token.count <= 9 else { return nil }
        var value = 0
        for byte in token {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    /// `Jan`, `jan`, `January`, `JANUARY`: a word of ASCII letters whose first three name a month.
    private static func monthNumber(_ token: ArraySlice<UInt8>) -> Int? {
        guard token.count >= 3, token.allSatisfy({ ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }) else { return nil }
        let lower = String(decoding: token.prefix(3).map { $0 | 0x20 }, as: UTF8.self)
        return months.firstIndex(of: lower).map { $0 + 1 }
    }

    /// `+0800`, `-05:00`, `+08`, or a zone name; nil when unknown (read as UTC).
    private static func zoneOffset(_ token: ArraySlice<UInt8>) -> Int? {
        if let sign = token.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            let digits = token.dropFirst().filter { $0 != UInt8(ascii: ":") }
            guard digits.count == 4 || digits.count == 2, let value = number(digits[...]) else { return nil }
            let (h, m) = digits.count == 4 ? (value / 100, value % 100) : (value, 0)
            guard h < 24, m < 60 else { return nil }
            return (sign == UInt8(ascii: "-") ? -1 : 1) * (h * 3600 + m * 60)
        }
        let name = String(decoding: token.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        return zones[name].map { $0 * 3600 }
    }
}
