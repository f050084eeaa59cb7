import Foundation
import Testing

@testable import HeraldDigest

/// The Date header shares the feeds' RFC 822 formatter; it must say what Foundation's
/// en_US_POSIX formatter says, in the publication's zone, daylight saving included.
@Suite struct DigestDateHeaderTests {
    @Test(arguments: ["Asia/Shanghai", "America/New_York", "UTC", "Asia/Kolkata", "Pacific/Chatham"])
    func matchesFoundation(_ zone: String) {
        let tz = TimeZone(identifier: zone)!
        let format = DigestDateFormat(language: "en", timeZone: tz)
        let reference = posixFormatter(tz, "EEE, dd MMM yyyy HH:mm:ss xx")
        // Every ~11 days over 30 years: crosses DST changes both ways and leap days.
        for step in stride(from: 0, to: 30 * 365 * 86_400, by: 977_777) {
            let date = Date(timeIntervalSince1970: 946_684_800 + Double(step))
            #expect(format.rfc5322(date) == reference.string(from: date))
        }
    }

    /// `iso` is calendar arithmetic, not a DateFormatter: it must say what the formatter says.
    @Test(arguments: ["Asia/Shanghai", "America/New_York", "UTC", "Asia/Kolkata", "Pacific/Chatham", "America/St_Johns"])
    func isoDateMatchesFoundation(_ zone: String) {
        let tz = TimeZone(identifier: zone)!
        let format = DigestDateFormat(language: "zh-CN", timeZone: tz)
        let reference = posixFormatter(tz, "yyyy-MM-dd")
        // Every ~3.3 hours over 60 years: every side of midnight in every offset, DST both ways.
        for step in stride(from: 0, to: 60 * 365 * 86_400, by: 11_987) {
            let date = Date(timeIntervalSince1970: -315_619_200 + Double(step))
            #expect(format.iso(date) == reference.string(from: date))
        }
    }

    private func posixFormatter(_ zone: TimeZone, _ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = format
        return formatter
    }
}
