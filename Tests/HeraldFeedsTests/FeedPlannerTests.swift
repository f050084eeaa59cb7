import HeraldContent
import HeraldTestSupport
import Testing

@testable import HeraldFeeds

@Suite struct FeedPlannerTests {
    /// The name the oldest post used keeps the plain slug (a newer post never renames an
    /// existing feed); within one post, the list's order decides.
    @Test func slugsFollowFirstUseOldestPostFirst() throws {
        let dir = try TempDir()
        let publication = try Fixture.publication(in: dir, "feeds:\n  entries: 2")
        // Newest first, as the builder passes them.
        let published = [
            Fixture.post(3, tags: ["sofa weekly", "开源之夏"]),
            Fixture.post(2, tags: ["Sofa-Weekly"]),
            Fixture.post(1, tags: ["开源 之夏", "SOFA Weekly"]),
        ].map(\.meta)
        let plans = FeedPlanner(publication: publication, published: published).plans
        let byTitle = Dictionary(uniqueKeysWithValues: plans.map { ($0.title, $0) })
        func plan(_ name: String) throws -> FeedPlan { try #require(byTitle["\(name) · SOFA 周报"]) }
        // Post 1 is the oldest: "开源 之夏" comes before "SOFA Weekly" in its list.
        #expect(try plan("开源 之夏").directory == "tags/开源-之夏")
        #expect(try plan("SOFA Weekly").directory == "tags/sofa-weekly")
        #expect(try plan("Sofa-Weekly").directory != "tags/sofa-weekly")
        #expect(try plan("sofa weekly").directory != "tags/sofa-weekly")
        #expect(Set(plans.map(\.directory)).count == plans.count)
        // Entries newest first, at most feeds.entries.
        #expect(plans[0].entries.map(\.slug) == ["weekly-3", "weekly-2"])
        #expect(try plan("开源之夏").entries.map(\.slug) == ["weekly-3"])
    }
}
