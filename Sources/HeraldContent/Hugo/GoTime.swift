import Foundation
import HeraldBase

/// A date as Go's time package shows it in the offset it was written with: the fields
/// Hugo's date tokens print, and Go's layout formatting (`:2006`, `:Jan`, `:Monday`…)
/// for the words a permalink pattern can hold.
struct GoTime {
    let year: Int, month: Int, day: Int
    /// 0 = Sunday, as Go's Weekday.
    let weekday: Int
    /// 1…366.
    let yearday: Int
    let hour: Int, minute: Int, second: Int
    let utcOffset: Int

    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December",
    ]
    static let dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    init(date: Date, utcOffset: Int) {
        let c = CivilTime(date, offset: utcOffset)
        (year, month, day, hour, minute, second, weekday) = (c.year, c.month, c.day, c.hour, c.minute, c.second, c.weekday)
        yearday = CivilTime.days(year: c.year, month: c.month, day: c.day) - CivilTime.days(year: c.year, month: 1, day: 1) + 1
        self.utcOffset = utcOffset
    }

    static func pad(_ n: Int, _ width: Int) -> String {
        let digits = String(n)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Whether Go's time.Format would change `word`: it holds a layout element.
    static func isLayout(_ word: String) -> Bool {
        var rest = Substring(word)
        while !rest.isEmpty {
            if element(at: rest) != nil { return true }
            rest = rest.dropFirst()
        }
        return false
    }

    /// `layout` formatted as Go does, for layouts made of word characters.
    func format(_ layout: String) -> String {
        var out = ""
        var rest = Substring(layout)
        while !rest.isEmpty {
            if let (element, length) = Self.element(at: rest) {
                out += value(element)
                rest = rest.dropFirst(length)
            } else {
                out.append(rest.removeFirst())
            }
        }
        return out
    }

    private enum Element {
        case longMonth, month, numMonth, zeroMonth, longWeekDay, weekDay, day, underDay, zeroDay
        case underYearDay, zeroYearDay, hour, hour12, zeroHour12, minute, zeroMinute, second, zeroSecond
        case longYear, year, pm, lowerPM, tz, isoTZ, isoShortTZ
    }

    /// The element Go's nextStdChunk finds at the start of `s`, and its length.
    private static func element(at s: Substring) -> (Element, Int)? {
        func has(_ p: String) -> Bool { s.hasPrefix(p) }
        switch s.first {
        case "J":
            if has("January") { return (.longMonth, 7) }
            if has("Jan") { return (.month, 3) }
        case "M":
            if has("Monday") { return (.longWeekDay, 6) }
            if has("Mon") { return (.weekDay, 3) }
            if has("MST") { return (.tz, 3) }
        case "0":
            if has("002") { return (.zeroYearDay, 3) }
            let table: [Character: Element] = [
                "1": .zeroMonth, "2": .zeroDay, "3": .zeroHour12, "4": .zeroMinute,
                "5": .zeroSecond, "6": .year,
            ]
            if let next = s.dropFirst().first, let e = table[next] { return (e, 2) }
        case "1": return has("15") ? (.hour, 2) : (.numMonth, 1)
        case "2": return has("2006") ? (.longYear, 4) : (.day, 1)
        case "_":
            if has("_2006") { return nil } // Go prints the `_` and then sees 2006
            if has("__2") { return (.underYearDay, 3) }
            if has("_2") { return (.underDay, 2) }
        case "3": return (.hour12, 1)
        case "4": return (.minute, 1)
        case "5": return (.second, 1)
        case "P": if has("PM") { return (.pm, 2) }
        case "p": if has("pm") { return (.lowerPM, 2) }
        case "Z":
            if has("Z0700") { return (.isoTZ, 5) }
            if has("Z07") { return (.isoShortTZ, 3) }
        default: break
        }
        return nil
    }

    private func value(_ e: Element) -> String {
        let h12 = hour % 12 == 0 ? 12 : hour % 12
        switch e {
        case .longMonth: return Self.monthNames[month - 1]
        case .month: return String(Self.monthNames[month - 1].prefix(3))
        case .numMonth: return String(month)
        case .zeroMonth: return Self.pad(month, 2)
        case .longWeekDay: return Self.dayNames[weekday]
        case .weekDay: return String(Self.dayNames[weekday].prefix(3))
        case .day: return String(day)
        case .underDay: return day < 10 ? " \(day)" : String(day)
        case .zeroDay: return Self.pad(day, 2)
        case .underYearDay: return String(repeating: " ", count: max(0, 3 - String(yearday).count)) + String(yearday)
        case .zeroYearDay: return Self.pad(yearday, 3)
        case .hour: return Self.pad(hour, 2)
        case .hour12: return String(h12)
        case .zeroHour12: return Self.pad(h12, 2)
        case .minute: return String(minute)
        case .zeroMinute: return Self.pad(minute, 2)
        case .second: return String(second)
        case .zeroSecond: return Self.pad(second, 2)
        case .longYear: return Self.pad(year, 4)
        case .year: return Self.pad(year % 100, 2)
        case .pm: return hour >= 12 ? "PM" : "AM"
        case .lowerPM: return hour >= 12 ? "pm" : "am"
        case .tz: return utcOffset == 0 ? "UTC" : offset(colon: false, minutes: true)
        case .isoTZ: return utcOffset == 0 ? "Z" : offset(colon: false, minutes: true)
        case .isoShortTZ: return utcOffset == 0 ? "Z" : offset(colon: false, minutes: false)
        }
    }

    private func offset(colon: Bool, minutes: Bool) -> String {
        let sign = utcOffset < 0 ? "-" : "+"
        let m = abs(utcOffset) / 60
        return sign + Self.pad(m / 60, 2) + (minutes ? (colon ? ":" : "") + Self.pad(m % 60, 2) : "")
    }
}
