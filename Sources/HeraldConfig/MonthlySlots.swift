import Foundation

/// The moments of a `monthly DAY HH:MM` schedule: one per month, on DAY (or the month's
/// last day) at HH:MM on the publication's clock. A time the clock skips that day (DST
/// starts) is the first moment after the gap; a time that occurs twice is its first
/// occurrence, so every month has exactly one slot.
struct MonthlySlots {
    let day: DayOfMonth
    let hour: Int
    let minute: Int
    /// Gregorian, in the publication's zone.
    let calendar: Calendar

    /// The latest slot at or before `now`: this month's, else last month's.
    func latest(atOrBefore now: Date) -> Date? {
        guard let this = slot(inMonthOf: now) else { return nil }
        if this <= now { return this }
        return previousMonth(of: now).flatMap(slot(inMonthOf:))
    }

    /// The first slot after `now`: this month's, else next month's.
    func first(after now: Date) -> Date? {
        guard let this = slot(inMonthOf: now) else { return nil }
        if this > now { return this }
        return nextMonth(of: now).flatMap(slot(inMonthOf:))
    }

    /// The slot in the calendar month that holds `date`.
    private func slot(inMonthOf date: Date) -> Date? {
        let month = calendar.dateComponents([.year, .month], from: date)
        guard let first = calendar.date(from: month),
            let days = calendar.range(of: .day, in: .month, for: first)
        else { return nil }
        let dayNumber =
            switch day {
            case .day(let n): n
            case .last: days.upperBound - 1
            }
        guard let dayStart = calendar.date(from: DateComponents(year: month.year, month: month.month, day: dayNumber))
        else { return nil }
        let start = calendar.startOfDay(for: dayStart)
        // The first HH:MM from the day's start (`.nextTime` past a gap, as daily and weekly
        // slots are found); a match past the day's end means the day never showed HH:MM.
        let time = DateComponents(hour: hour, minute: minute, second: 0)
        guard let found = calendar.nextDate(after: start.addingTimeInterval(-1), matching: time, matchingPolicy: .nextTime),
            let nextDay = calendar.date(byAdding: .day, value: 1, to: start), found < nextDay
        else {
            return calendar.date(from: DateComponents(year: month.year, month: month.month, day: dayNumber, hour: hour, minute: minute))
        }
        return found
    }

    private func previousMonth(of date: Date) -> Date? {
        calendar.date(byAdding: .month, value: -1, to: monthStart(date))
    }

    private func nextMonth(of date: Date) -> Date? {
        calendar.date(byAdding: .month, value: 1, to: monthStart(date))
    }

    private func monthStart(_ date: Date) -> Date {
        calendar.date(from: calendar.dateComponents([.year, .month], from: date)) ?? date
    }
}
