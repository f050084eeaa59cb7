import Foundation
import HeraldBase
import HeraldTestSupport
import Testing

/// Herald formats dates by hand; Foundation's formatters (fixed to en_US_POSIX) are the oracle.
@Suite struct InternetDatesTests {
    static let offsets = [0, 8 * 3600, -5 * 3600, 5 * 3600 + 45 * 60, -(9 * 3600 + 30 * 60)]

    static func instants(_ rng: inout TestRandom) -> [Date] {
        // Both sides of 1970 and of leap days, and far into the future.
        return [-86_400.0 * 365 * 30, -1, 0, 951_782_400, 4_107_542_399]
            .map(Date.init(timeIntervalSince1970:))
            + (0..<200).map { _ in Date(timeIntervalSince1970: Double(Int64.random(in: -2_000_000_000...4_000_000_000, using: &rng))) }
    }

    static func oracle(_ format: String, offset: Int) -> DateFormatter {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.calendar = Calendar(identifier: .gregorian)
        f.timeZone = TimeZone(secondsFromGMT: offset)
        f.dateFormat = format
        return f
    }

    @Test(arguments: offsets) func rfc3339MatchesFoundation(offset: Int) {
        let f = Self.oracle(offset == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ssxxx", offset: offset)
        var rng = TestRandom.seeded("InternetDatesTests.rfc3339MatchesFoundation(offset: \(offset))")
        for date in Self.instants(&rng) {
            #expect(InternetDates.rfc3339(date, offset: offset) == f.string(from: date), "\(rng.replay)")
        }
    }

    @Test(arguments: offsets) func rfc822MatchesFoundation(offset: Int) {
        let f = Self.oracle("EEE, dd MMM yyyy HH:mm:ss xx", offset: offset)
        var rng = TestRandom.seeded("InternetDatesTests.rfc822MatchesFoundation(offset: \(offset))")
        for date in Self.instants(&rng) {
            #expect(InternetDates.rfc822(date, offset: offset) == f.string(from: date), "\(rng.replay)")
        }
    }

    @Test func fractionalSecondsAreDroppedNotRounded() {
        let date = Date(timeIntervalSince1970: 59.9)
        #expect(InternetDates.rfc3339(date, offset: 0).hasSuffix(":00:59Z"))
    }
}
