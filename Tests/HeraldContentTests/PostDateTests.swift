import Foundation
import HeraldTestSupport
import Testing

@testable import HeraldContent

@Suite struct PostDateTests {
    let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    @Test func rfc3339KeepsItsOffset() throws {
        let d = try PostDate.parse("2021-11-12T15:00:00+08:00", timeZone: TimeZone(identifier: "UTC")!)
        #expect(d.date == utc(2021, 11, 12, 7))
        #expect(d.utcOffset == 8 * 3600)
        let z = try PostDate.parse("2024-01-02T03:04:05.250Z", timeZone: shanghai)
        #expect(z.date.timeIntervalSince1970 == utc(2024, 1, 2, 3, 4, 5).timeIntervalSince1970 + 0.25)
        #expect(z.utcOffset == 0)
        let west = try PostDate.parse("2024-01-02T03:04:05-0530", timeZone: shanghai)
        #expect(west.date == utc(2024, 1, 2, 8, 34, 5))
    }

    @Test(arguments: ["2024-06-21 20:00", "2024-06-21 20:00:00", "2024-06-21T20:00"])
    func localTimesUseThePublicationZone(_ raw: String) throws {
        let d = try PostDate.parse(raw, timeZone: shanghai)
        #expect(d.date == utc(2024, 6, 21, 12))
        #expect(d.utcOffset == 8 * 3600)
    }

    @Test func dateOnlyIsMidnightInTheZone() throws {
        let d = try PostDate.parse("2024-05-03", timeZone: shanghai)
        #expect(d.date == utc(2024, 5, 2, 16))
    }

    @Test func daylightSavingTimeUsesTheOffsetOfThatDay() throws {
        let ny = TimeZone(identifier: "America/New_York")!
        #expect(try PostDate.parse("2024-07-01 12:00", timeZone: ny).utcOffset == -4 * 3600)
        #expect(try PostDate.parse("2024-01-01 12:00", timeZone: ny).utcOffset == -5 * 3600)
        #expect(try PostDate.parse("2024-07-01 12:00", timeZone: ny).date == utc(2024, 7, 1, 16))
    }

    @Test(arguments: ["2023-02-30", "2023-02-29", "2024-13-01", "2024-04-31", "2024-00-10"])
    func impossibleDaysAreRefused(_ raw: String) {
        #expect(throws: PostDate.Problem.notARealDay) { try PostDate.parse(raw, timeZone: shanghai) }
    }

    @Test func leapDayIsReal() throws {
        #expect(try PostDate.parse("2024-02-29", timeZone: shanghai).date == utc(2024, 2, 28, 16))
    }

    @Test(arguments: ["yesterday", "2024/05/03", "2024-5-3", "2024-05-03T25:00:00Z", "2024-05-03T10:00:00+08:00 extra", ""])
    func malformedDatesAreRefused(_ raw: String) {
        #expect(throws: PostDate.Problem.self) { try PostDate.parse(raw, timeZone: shanghai) }
    }

    @Test func civilDateInTheAuthorsOffset() {
        // 2024-01-01 01:00 +08:00 is still 2023-12-31 in UTC; permalinks use the author's day.
        let date = utc(2023, 12, 31, 17)
        #expect(PostDate.civil(date, utcOffset: 8 * 3600) == (2024, 1, 1))
        #expect(PostDate.civil(date, utcOffset: 0) == (2023, 12, 31))
    }
}
