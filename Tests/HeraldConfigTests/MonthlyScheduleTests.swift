import Foundation
import HeraldBase
import HeraldConfig
import HeraldTestSupport
import Testing

/// `monthly DAY HH:MM`: one slot a month, due as weekly slots are, around month ends and DST.
@Suite struct MonthlyScheduleTests {
    let shanghai = TimeZone(identifier: "Asia/Shanghai")!
    let newYork = TimeZone(identifier: "America/New_York")!

    func date(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }

    @Test func parsesAndSaysItBack() throws {
        #expect(try DigestSchedule("monthly 1 09:00", timeZone: shanghai).kind == .monthly(day: .day(1), hour: 9, minute: 0))
        #expect(try DigestSchedule("Monthly LAST 18:30", timeZone: shanghai).kind == .monthly(day: .last, hour: 18, minute: 30))
        #expect(try DigestSchedule("monthly 28 07:05", timeZone: shanghai).description == "monthly 28 07:05")
        #expect(try DigestSchedule("monthly last 18:00", timeZone: shanghai).description == "monthly last 18:00")
    }

    @Test(arguments: [
        "monthly 0 09:00", "monthly 29 09:00", "monthly 31 09:00", "monthly -1 09:00", "monthly first 09:00",
        "monthly 1", "monthly 1 9", "monthly 1 24:00", "monthly 1 09:00 extra", "monthly +1 09:00", "monthly 100 09:00",
    ])
    func badMonthlySchedulesSayWhy(_ text: String) {
        #expect(throws: ScheduleError.self) { try DigestSchedule(text, timeZone: shanghai) }
    }

    @Test func theSlotIsInThePublicationsZone() throws {
        let s = try DigestSchedule("monthly 15 09:00", timeZone: shanghai)
        // 09:00 in Shanghai is 01:00 UTC.
        #expect(s.latestSlot(atOrBefore: date("2025-03-20T00:00:00Z")) == date("2025-03-15T01:00:00Z"))
        #expect(s.latestSlot(atOrBefore: date("2025-03-15T00:59:59Z")) == date("2025-02-15T01:00:00Z"))
        #expect(s.latestSlot(atOrBefore: date("2025-03-15T01:00:00Z")) == date("2025-03-15T01:00:00Z"))
    }

    @Test func dueOncePerMonth() throws {
        let s = try DigestSchedule("monthly 1 09:00", timeZone: shanghai)
        let slot = date("2025-04-01T01:00:00Z")
        let late = slot.addingTimeInterval(5 * 3600) // the timer fired late
        #expect(!s.isDue(now: slot.addingTimeInterval(-60), lastDigestAt: date("2025-03-01T02:00:00Z")))
        #expect(s.isDue(now: slot, lastDigestAt: date("2025-03-01T02:00:00Z")))
        #expect(s.isDue(now: late, lastDigestAt: nil))
        #expect(!s.isDue(now: late.addingTimeInterval(60), lastDigestAt: late))
        #expect(!s.isDue(now: date("2025-04-30T15:59:00Z"), lastDigestAt: late))
        #expect(s.isDue(now: date("2025-05-01T01:00:00Z"), lastDigestAt: late))
        #expect(s.nextDue(now: late.addingTimeInterval(60), lastDigestAt: late) == date("2025-05-01T01:00:00Z"))
        #expect(s.nextDue(now: late, lastDigestAt: nil) == late)
    }

    @Test(arguments: [
        // Now (UTC), the latest `monthly last 18:00` slot in Shanghai (10:00 UTC) at or before it.
        ("2025-02-28T10:00:00Z", "2025-02-28T10:00:00Z"), // February, 28 days
        ("2025-02-28T09:59:59Z", "2025-01-31T10:00:00Z"),
        ("2024-02-29T10:00:00Z", "2024-02-29T10:00:00Z"), // leap year
        ("2024-02-28T23:00:00Z", "2024-01-31T10:00:00Z"), // the 28th is not the last day in 2024
        ("2025-04-30T10:00:00Z", "2025-04-30T10:00:00Z"), // a 30-day month
        ("2025-05-01T03:00:00Z", "2025-04-30T10:00:00Z"),
        ("2025-01-01T00:00:00Z", "2024-12-31T10:00:00Z"), // across the year
    ])
    func lastDayOfTheMonth(now: String, slot: String) throws {
        let s = try DigestSchedule("monthly last 18:00", timeZone: shanghai)
        #expect(s.latestSlot(atOrBefore: date(now)) == date(slot))
    }

    @Test func lastDayIsDueAtTheMonthsEndNotBefore() throws {
        let s = try DigestSchedule("monthly last 18:00", timeZone: shanghai)
        let january = date("2024-01-31T10:00:00Z")
        #expect(!s.isDue(now: date("2024-02-28T12:00:00Z"), lastDigestAt: january))
        #expect(s.isDue(now: date("2024-02-29T10:00:00Z"), lastDigestAt: january))
        #expect(s.nextDue(now: date("2024-02-28T12:00:00Z"), lastDigestAt: january) == date("2024-02-29T10:00:00Z"))
        #expect(s.nextDue(now: date("2025-04-30T10:00:01Z"), lastDigestAt: date("2025-04-30T10:00:01Z")) == date("2025-05-31T10:00:00Z"))
    }

    @Test func day28InFebruaryAndInA30DayMonth() throws {
        let s = try DigestSchedule("monthly 28 23:30", timeZone: shanghai)
        let february = date("2025-02-28T15:30:00Z")
        #expect(s.latestSlot(atOrBefore: date("2025-03-27T00:00:00Z")) == february)
        #expect(s.nextDue(now: date("2025-03-01T00:00:00Z"), lastDigestAt: february) == date("2025-03-28T15:30:00Z"))
        #expect(s.nextDue(now: date("2025-04-29T00:00:00Z"), lastDigestAt: date("2025-04-28T15:30:00Z")) == date("2025-05-28T15:30:00Z"))
    }

    @Test func dstKeepsTheLocalTime() throws {
        // New York: EST (UTC-5) until 2025-03-09 02:00, EDT (UTC-4) until 2025-11-02 02:00.
        let s = try DigestSchedule("monthly 1 09:00", timeZone: newYork)
        #expect(s.latestSlot(atOrBefore: date("2025-03-20T00:00:00Z")) == date("2025-03-01T14:00:00Z"))
        #expect(s.latestSlot(atOrBefore: date("2025-04-20T00:00:00Z")) == date("2025-04-01T13:00:00Z"))
        #expect(s.nextDue(now: date("2025-10-20T00:00:00Z"), lastDigestAt: date("2025-10-01T13:00:00Z")) == date("2025-11-01T13:00:00Z"))
        #expect(s.nextDue(now: date("2025-11-20T00:00:00Z"), lastDigestAt: date("2025-11-01T13:00:00Z")) == date("2025-12-01T14:00:00Z"))
    }

    @Test func aTimeTheClockSkipsStillHasOneSlot() throws {
        // 2025-03-09 02:30 does not exist in New York: the slot is the first moment after the gap, 03:00 EDT.
        let s = try DigestSchedule("monthly 9 02:30", timeZone: newYork)
        let slot = try #require(s.latestSlot(atOrBefore: date("2025-03-20T00:00:00Z")))
        #expect(slot == date("2025-03-09T07:00:00Z"))
        #expect(s.isDue(now: slot, lastDigestAt: date("2025-02-09T07:30:00Z")))
        #expect(!s.isDue(now: slot.addingTimeInterval(3600), lastDigestAt: slot))
        // A time that occurs twice (2025-11-02 01:30) is one slot, its first occurrence (EDT).
        let fall = try DigestSchedule("monthly 2 01:30", timeZone: newYork)
        let first = date("2025-11-02T05:30:00Z")
        #expect(fall.latestSlot(atOrBefore: date("2025-11-02T07:00:00Z")) == first)
        #expect(!fall.isDue(now: date("2025-11-02T06:30:00Z"), lastDigestAt: first))
    }

    @Test func checkRejectsABadScheduleAtItsLine() throws {
        let dir = try TempDir()
        try dir.write("herald.yml", "title: T\nbase_url: https://e.org\ndigest:\n  schedule: monthly 31 09:00\n")
        do {
            _ = try Publication.load(from: dir.path)
            Issue.record("monthly 31 was accepted")
        } catch {
            #expect(error.problems.map(\.line) == [4])
            #expect(error.problems.first?.message.contains("1 … 28, or last") == true)
            #expect(error.exitStatus == .config)
        }
    }
}
