import Foundation
import HeraldConfig
import HeraldContent
import HeraldDigest
import HeraldState
import Testing

/// A feed's entries: what is new is decided by id and by when an entry was first seen.
@Suite struct EntrySelectionTests {
    let now = Date(timeIntervalSince1970: 1_741_924_800)
    let day: TimeInterval = 86_400
    let settings = DigestSettings(timeZone: .gmt)

    func entry(_ id: String, daysAgo: Double) -> PostMeta {
        let date = now.addingTimeInterval(-daysAgo * day)
        return PostMeta(
            source: id, title: id, slug: id, permalink: URL(string: "https://e.org/\(id)/")!, date: date, utcOffset: 0,
            updated: date, author: Person(name: "A"), description: nil, summaryOverride: nil, categories: [], tags: [],
            cover: nil, draft: false, publishDate: .distantPast)
    }

    func select(_ metas: [PostMeta], seen: [String: Date], sent: Set<String> = [], after last: DigestRecord?) -> [String] {
        DigestSelection.selectEntries(
            metas, id: \.source, firstSeen: seen, sent: sent, after: last, now: now, settings: settings
        ).map(\.source)
    }

    @Test func firstDigestTakesTheWindowByDate() {
        let metas = [entry("old", daysAgo: 30), entry("b", daysAgo: 2), entry("a", daysAgo: 1)]
        #expect(select(metas, seen: [:], after: nil) == ["a", "b"])
    }

    @Test func afterADigestOnlyEntriesFirstSeenSinceAreNewWhateverTheirDate() {
        let digestAt = now.addingTimeInterval(-day)
        let last = DigestRecord(number: 1, postIDs: ["a"], subject: "s", createdAt: digestAt, newestPostDate: digestAt)
        let metas = [
            entry("a", daysAgo: -1), // sent, now redated into the future of the feed
            entry("skipped", daysAgo: 30), // in the feed at the first digest but outside its window
            entry("back", daysAgo: 0), // seen long ago, gone, back with a new date
            entry("late", daysAgo: 90), // first seen after the digest, however old its date
            entry("fresh", daysAgo: 0), // never seen (a preview, which records nothing)
        ]
        let seen = [
            "a": digestAt, "skipped": digestAt, "back": now.addingTimeInterval(-10 * day),
            "late": now.addingTimeInterval(-3600),
        ]
        #expect(select(metas, seen: seen, sent: ["a"], after: last) == ["fresh", "late"])
    }

    @Test func anEntrySeenInTheSameRunAsTheDigestIsNotNewAfterTheJournalRoundsItsTime() {
        // The journal keeps milliseconds: the digest's time read back is a little earlier.
        let seenAt = Date(timeIntervalSinceReferenceDate: 700_000_000.123_456)
        let stored = Date(timeIntervalSinceReferenceDate: 700_000_000.123)
        let last = DigestRecord(number: 1, postIDs: [], subject: "s", createdAt: stored, newestPostDate: stored)
        #expect(select([entry("x", daysAgo: 1)], seen: ["x": seenAt], after: last).isEmpty)
    }

    @Test func sinceAndLimitWorkAsForAFolder() {
        let metas = [entry("a", daysAgo: 1), entry("b", daysAgo: 2), entry("c", daysAgo: 3)]
        let since = now.addingTimeInterval(-2.5 * day)
        #expect(
            DigestSelection.selectEntries(
                metas, id: \.source, firstSeen: [:], sent: [], after: nil, now: now, settings: settings, since: since, limit: 1
            ).map(\.source) == ["a"])
    }
}

extension EntrySelectionTests {
    @Test func anEntrySeenByTheNextRunIsNewHoweverSoonItCame() {
        let digestAt = Date(timeIntervalSinceReferenceDate: 700_000_000.123)
        let last = DigestRecord(number: 1, postIDs: [], subject: "s", createdAt: digestAt, newestPostDate: digestAt)
        #expect(select([entry("x", daysAgo: 1)], seen: ["x": digestAt.addingTimeInterval(0.05)], after: last) == ["x"])
    }
}
