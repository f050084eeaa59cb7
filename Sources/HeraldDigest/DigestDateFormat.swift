import Foundation
import HeraldBase

/// Dates as readers of the publication expect them, in its time zone:
/// `2025年3月14日` for zh-CN, `14 March 2025` for en.
struct DigestDateFormat: Sendable {
    let language: String
    let timeZone: TimeZone
    /// Made once: building a DateFormatter opens an ICU formatter, which costs more than
    /// the dozens of dates a digest writes with it.
    private let longFormatter: DateFormatter

    init(language: String, timeZone: TimeZone) {
        self.language = language
        self.timeZone = timeZone
        longFormatter = Self.longFormatter(language: language, timeZone: timeZone)
    }

    /// Day, month name, year in the language's own order. Bare `en` gets the
    /// international day-month-year order; regional tags (`en-US`) their own.
    func long(_ date: Date) -> String {
        longFormatter.string(from: date)
    }

    private static func longFormatter(language: String, timeZone: TimeZone) -> DateFormatter {
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
        return formatter
    }

    /// `2025-03-14`, for `datetime` attributes and machine readers.
    func iso(_ date: Date) -> String {
        let civil = CivilTime(date, offset: timeZone.secondsFromGMT(for: date))
        return Self.padded(civil.year, 4) + "-" + Self.padded(civil.month, 2) + "-" + Self.padded(civil.day, 2)
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// RFC 5322 `Date` header: English names whatever the user's locale, numeric zone.
    func rfc5322(_ date: Date) -> String {
        InternetDates.rfc822(date, offset: timeZone.secondsFromGMT(for: date))
    }
}
