import Foundation
import HeraldConfig
import HeraldContent
import HeraldDigest
import HeraldMail
import HeraldState
import Testing

@Suite struct DigestSelectionTests {
    let now = Date(timeIntervalSince1970: 1_741_924_800)
    let day: TimeInterval = 86_400

    func meta(_ slug: String, daysAgo: Double, draft: Bool = false) -> PostMeta {
        let date = now.addingTimeInterval(-daysAgo * day)
        return PostMeta(
            source: "\(slug).md", title: slug, slug: slug,
            permalink: URL(string: "https://e.org/\(slug)/")!, date: date, utcOffset: 0, updated: date,
            author: Person(name: "A"), description: nil, summaryOverride: nil, categories: [], tags: [],
            cover: nil, draft: draft)
    }

    var metas: [PostMeta] {
        [
            meta("old", daysAgo: 30), meta("week", daysAgo: 6), meta("new", daysAgo: 1), meta("draft", daysAgo: 1, draft: true),
            meta("future", daysAgo: -2), meta("tie-b", daysAgo: 2), meta("tie-a", daysAgo: 2),
        ]
    }

    @Test func firstDigestTakesTheWindowNewestFirst() {
        let chosen = DigestSelection.select(metas, after: nil, now: now, settings: DigestSettings(timeZone: .gmt))
        #expect(chosen.map(\.slug) == ["new", "tie-a", "tie-b", "week"])
    }

    @Test func laterDigestsStartAfterTheNewestPostSent() {
        let last = DigestRecord(
            number: 4, postIDs: ["https://e.org/tie-a/", "https://e.org/tie-b/"], subject: "s",
            createdAt: now, newestPostDate: now.addingTimeInterval(-2 * day))
        #expect(DigestSelection.select(metas, after: last, now: now, settings: DigestSettings(timeZone: .gmt)).map(\.slug) == ["new"])
    }

    @Test func postWithTheSameDateAsTheNewestSentButNotInItIsNew() {
        let last = DigestRecord(
            number: 4, postIDs: ["https://e.org/tie-b/"], subject: "s", createdAt: now,
            newestPostDate: now.addingTimeInterval(-2 * day))
        #expect(
            DigestSelection.select(metas, after: last, now: now, settings: DigestSettings(timeZone: .gmt)).map(\.slug) == ["new", "tie-a"])
    }

    @Test func sinceAndLimitOverrideForPreviews() {
        let since = now.addingTimeInterval(-40 * day)
        let chosen = DigestSelection.select(metas, after: nil, now: now, settings: DigestSettings(timeZone: .gmt), since: since, limit: 2)
        #expect(chosen.map(\.slug) == ["new", "tie-a"])
        #expect(DigestSelection.select(metas, after: nil, now: now, settings: DigestSettings(timeZone: .gmt), since: since).count == 5)
    }
}
