import Foundation

/// Decides which feeds exist and which posts each carries, from metadata alone: the
/// publication's feed, one per tag and one per category, each with the newest
/// `feeds.entries` published posts.
struct FeedPlanner {
    let context: FeedContext
    let plans: [FeedPlan]

    /// `published` must be newest first, drafts and future posts already removed.
    init(publication: Publication, published: [PostMeta]) {
        let limit = publication.feeds.entries == 0 ? Int.max : publication.feeds.entries
        context = FeedContext(
            publication: publication,
            tagSlugs: FeedSlug.assign(Self.firstUse(published.reversed().map(\.tags))),
            categorySlugs: FeedSlug.assign(Self.firstUse(published.reversed().map(\.categories))))

        var byTag: [String: [PostMeta]] = [:]
        var byCategory: [String: [PostMeta]] = [:]
        for meta in published {
            for tag in meta.tags where byTag[tag, default: []].count < limit { byTag[tag, default: []].append(meta) }
            for cat in meta.categories where byCategory[cat, default: []].count < limit { byCategory[cat, default: []].append(meta) }
        }

        let base = publication.baseURL
        var plans = [FeedPlan(scope: .publication, title: publication.title, directory: "", url: base,
                              entries: Array(published.prefix(limit)))]
        func add(_ groups: [String: [PostMeta]], _ slugs: [String: String], folder: String, scope: (String) -> FeedPlan.Scope) {
            // Sorted by slug so the order of the work (and of the record) never depends on hashing.
            for (name, entries) in groups.sorted(by: { slugs[$0.key]! < slugs[$1.key]! }) {
                let slug = slugs[name]!
                let url = URL(string: "\(folder)/\(FeedSlug.urlSegment(slug))/", relativeTo: base)!.absoluteURL
                plans.append(FeedPlan(scope: scope(name), title: "\(name) · \(publication.title)",
                                      directory: "\(folder)/\(slug)", url: url, entries: entries))
            }
        }
        add(byTag, context.tagSlugs, folder: "tags", scope: FeedPlan.Scope.tag)
        add(byCategory, context.categorySlugs, folder: "categories", scope: FeedPlan.Scope.category)
        self.plans = plans
    }

    /// Each name once, in the order first met.
    private static func firstUse(_ lists: [[String]]) -> [String] {
        var seen: Set<String> = []
        return lists.joined().filter { seen.insert($0).inserted }
    }
}
