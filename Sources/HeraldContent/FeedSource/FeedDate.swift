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

    static func rfc822(_ text: String) -> (date: Date, utcOffset: Int)? {
        // A comment such as "(UTC)" says nothing the offset does not.
        var cleaned = text
        if let open = cleaned.firstIndex(of: "(") { cleaned = String(cleaned[..<open]) }
        var tokens = cleaned.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" || $0 == "\n" || $0 == "\r" })
            .map { String($0) }
        guard !tokens.isEmpty else { return nil }
        if tokens[0].first?.isLetter == true, monthNumber(tokens[0]) == nil { tokens.removeFirst() } // weekday
        guard tokens.count >= 3 else { return nil }
        var day: Int
        var month: Int
        // "02 Jan 2006" or, now and then, "Jan 02 2006".
        if let d = Int(tokens[0]), let m = monthNumber(tokens[1]) {
            day = d
            month = m
        } else if let m = monthNumber(tokens[0]), let d = Int(tokens[1]) {
            day = d
            month = m
        } else {
            return nil
        }
        guard var year = Int(tokens[2]) else { return nil }
        if tokens[2].count == 2 { year += year < 50 ? 2000 : 1900 }
        guard (1...12).contains(month), (1...CivilTime.daysIn(month: month, year: year)).contains(day), year >= 1
        else { return nil }
        var hour = 0
        var minute = 0
        var second = 0
        var rest = tokens.dropFirst(3)
        if let time = rest.first, time.contains(":") {
            let parts = time.split(separator: ":").map { Int($0) }
            guard parts.count >= 2, parts.count <= 3, parts.allSatisfy({ $0 != nil }) else { return nil }
            hour = parts[0]!
            minute = parts[1]!
            second = parts.count == 3 ? parts[2]! : 0
            guard hour < 24, minute < 60, second < 61 else { return nil }
            rest = rest.dropFirst()
        }
        let offset = rest.first.flatMap(zoneOffset) ?? 0
        let local = CivilTime.days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + min(second, 59)
        return (Date(timeIntervalSince1970: Double(local - offset)), offset)
    }

    private static func monthNumber(_ token: String) -> Int? {
        let lower = token.lowercased()
        guard lower.count >= 3, lower.allSatisfy(\.isLetter) else { return nil }
        return months.firstIndex(of: String(lower.prefix(3))).map { $0 + 1 }
    }

    /// `+0800`, `-05:00`, `+08`, or a zone name; nil when unknown (read as UTC).
    private static func zoneOffset(_ token: String) -> Int? {
        if let sign = token.first, sign == "+" || sign == "-" {
            let digits = token.dropFirst().filter { $0 != ":" }
            guard digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), digits.count == 4 || digits.count == 2,
                let value = Int(digits)
            else { return nil }
            let (h, m) = digits.count == 4 ? (value / 100, value % 100) : (value, 0)
            guard h < 24, m < 60 else { return nil }
            return (sign == "-" ? -1 : 1) * (h * 3600 + m * 60)
        }
        return zones[token.lowercased()].map { $0 * 3600 }
    }
}
