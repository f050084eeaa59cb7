import Foundation
import HeraldBase

/// When digests go out: `manual`, `daily 08:00`, `weekly Fri 15:00` or `monthly 1 09:00`
/// (`monthly last 18:00`: the month's last day), in the publication's time zone. The timer may fire late, twice, or after downtime,
/// so "due" is a question about the past, not about now: a digest is due when
/// the latest scheduled moment at or before now came after the last digest.
public struct DigestSchedule: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case manual
        case daily(hour: Int, minute: Int)
        /// weekday: 1 = Sunday … 7 = Saturday (Calendar's numbering).
        case weekly(weekday: Int, hour: Int, minute: Int)
        case monthly(day: DayOfMonth, hour: Int, minute: Int)
    }

    public let kind: Kind
    public let timeZone: TimeZone

    static let weekdays = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    public init(kind: Kind, timeZone: TimeZone) {
        self.kind = kind
        self.timeZone = timeZone
    }

    public init(_ text: String, timeZone: TimeZone) throws(ScheduleError) {
        self.timeZone = timeZone
        let words = text.lowercased().split(whereSeparator: \.isWhitespace).map(String.init)
        switch words.first {
        case "manual" where words.count == 1:
            kind = .manual
        case "daily" where words.count == 2:
            let (h, m) = try Self.clock(words[1], in: text)
            kind = .daily(hour: h, minute: m)
        case "weekly" where words.count == 3:
            guard let day = Self.weekdays.firstIndex(of: String(words[1].prefix(3))),
                words[1].count == 3 || Self.fullNames.contains(words[1])
            else {
                throw ScheduleError(text: text, reason: "\"\(words[1])\" is not a weekday (Mon … Sun)")
            }
            let (h, m) = try Self.clock(words[2], in: text)
            kind = .weekly(weekday: day + 1, hour: h, minute: m)
        case "monthly" where words.count == 3:
            guard let day = DayOfMonth(words[1]) else {
                throw ScheduleError(text: text, reason: "\"\(words[1])\" is not a day of the month (1 … 28, or last)")
            }
            let (h, m) = try Self.clock(words[2], in: text)
            kind = .monthly(day: day, hour: h, minute: m)
        default:
            throw ScheduleError(
                text: text, reason: "expected manual, daily HH:MM, weekly DAY HH:MM or monthly DAY HH:MM")
        }
    }

    static let fullNames: Set<String> = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]

    private static func clock(_ word: String, in text: String) throws(ScheduleError) -> (Int, Int) {
        let parts = word.split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
            (0...23).contains(h), (0...59).contains(m), parts[1].count == 2
        else {
            throw ScheduleError(text: text, reason: "\"\(word)\" is not a time of day such as 15:00")
        }
        return (h, m)
    }

    private var calendar: Calendar {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        return cal
    }

    private var monthlySlots: MonthlySlots {
        guard case .monthly(let day, let hour, let minute) = kind else { preconditionFailure("not a monthly schedule") }
        return MonthlySlots(day: day, hour: hour, minute: minute, calendar: calendar)
    }

    private var components: DateComponents? {
        switch kind {
        case .manual: nil
        case .daily(let h, let m): DateComponents(hour: h, minute: m, second: 0)
        case .weekly(let d, let h, let m): DateComponents(hour: h, minute: m, second: 0, weekday: d)
        case .monthly: nil
        }
    }

    /// The latest scheduled moment at or before `now`; nil for `manual`.
    public func latestSlot(atOrBefore now: Date) -> Date? {
        if case .monthly = kind { return monthlySlots.latest(atOrBefore: now) }
        guard let components else { return nil }
        // Search backwards from just after now, so a slot exactly at `now` counts.
        return calendar.nextDate(
            after: now.addingTimeInterval(1), matching: components,
            matchingPolicy: .nextTime, direction: .backward)
    }

    /// True when a scheduled moment has passed since the last digest was created.
    public func isDue(now: Date, lastDigestAt: Date?) -> Bool {
        guard let slot = latestSlot(atOrBefore: now) else { return false }
        guard let last = lastDigestAt else { return true }
        return last < slot
    }

    /// When the next digest is due: now if a slot passed since the last one, else the
    /// next slot; nil for `manual`.
    public func nextDue(now: Date, lastDigestAt: Date?) -> Date? {
        if case .manual = kind { return nil }
        if isDue(now: now, lastDigestAt: lastDigestAt) { return now }
        if case .monthly = kind { return monthlySlots.first(after: now) }
        guard let components else { return nil }
        return calendar.nextDate(after: now, matching: components, matchingPolicy: .nextTime)
    }

    public var description: String {
        switch kind {
        case .manual: return "manual"
        case .daily(let h, let m): return String(format: "daily %02d:%02d", h, m)
        case .weekly(let d, let h, let m):
            return String(format: "weekly %@ %02d:%02d", Self.weekdays[d - 1].capitalized, h, m)
        case .monthly(let d, let h, let m): return "monthly \(d) " + String(format: "%02d:%02d", h, m)
        }
    }
}

public struct ScheduleError: ExitStatusError, Sendable {
    public let text: String
    public let reason: String
    public var description: String { "digest.schedule \"\(text)\": \(reason)" }
    public var exitStatus: ExitStatus { .config }
}
