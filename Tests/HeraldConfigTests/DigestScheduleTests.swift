import Foundation
import HeraldConfig
import Testing

@Suite struct DigestScheduleTests {
    let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    func date(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }

    @Test func weeklySlotIsInThePublicationsZone() throws {
        let s = try DigestSchedule("weekly Fri 15:00", timeZone: shanghai)
        // Sunday 2025-03-16 00:00 UTC: the last Friday 15:00 in Shanghai was 2025-03-14T07:00Z.
        #expect(s.latestSlot(atOrBefore: date("2025-03-16T00:00:00Z")) == date("2025-03-14T07:00:00Z"))
        #expect(s.description == "weekly Fri 15:00")
    }

    @Test func slotExactlyNowCounts() throws {
        let s = try DigestSchedule("daily 08:00", timeZone: shanghai)
        let now = date("2025-03-14T00:00:00Z") // 08:00 in Shanghai
        #expect(s.latestSlot(atOrBefore: now) == now)
    }

    @Test func dueOncePerPeriod() throws {
        let s = try DigestSchedule("weekly friday 15:00", timeZone: shanghai)
        let slot = date("2025-03-14T07:00:00Z")
        let late = slot.addingTimeInterval(3 * 3600) // the timer fired late
        #expect(s.isDue(now: late, lastDigestAt: nil))
        #expect(s.isDue(now: late, lastDigestAt: slot.addingTimeInterval(-86400)))
        // A digest made at the late run: a second run in the same week sends nothing.
        #expect(!s.isDue(now: late.addingTimeInterval(60), lastDigestAt: late))
        #expect(!s.isDue(now: slot.addingTimeInterval(6 * 86400), lastDigestAt: late))
        #expect(s.isDue(now: slot.addingTimeInterval(7 * 86400), lastDigestAt: late))
    }

    @Test func manualIsNeverDue() throws {
        let s = try DigestSchedule("manual", timeZone: shanghai)
        #expect(!s.isDue(now: Date(), lastDigestAt: nil))
    }

    @Test(arguments: ["weekly Fry 15:00", "weekly Fri 25:00", "daily 8", "hourly", "weekly Fri 15:0", ""])
    func badSchedulesSayWhy(_ text: String) {
        #expect(throws: ScheduleError.self) { try DigestSchedule(text, timeZone: shanghai) }
    }
}
