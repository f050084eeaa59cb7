import Foundation
import HeraldBase

/// Dates as readers of the publication expect them, in its time zone:
/// `2025年3月14日` for zh-CN, `14 March 2025` for en.
struct DigestDateFormat: Sendable {
    let language: String
    let timeZone: TimeZone

    /// Day, month name, year in the language's own order. Bare `en` gets the
    /// international day-month-year order; regional tags (`en-US`) their own.
    func long(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = timeZone
        let tag = language.replacingOccurrences(of: "_", with: "-")
        if tag.lowercased() == "en" {
            formatter.locale = Locale(identifier: "en_GB")
            formatter.dateFormat = "d MMMM yyyy"
        } else {
            formatter.locale = Locale(identifier: tag)
            formatter.dateStyle = .long
            formatter.timeStyle = .none
        }
        return formatter.string(from: date)
    }

    /// `2025-03-14`, for `datetime` attributes and machine readers.
    func iso(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }

    /// RFC 5322 `Date` header: English names whatever the user's locale, numeric zone.
    func rfc5322(_ date: Date) -> String {
        InternetDates.rfc822(date, offset: timeZone.secondsFromGMT(for: date))
    }
}
