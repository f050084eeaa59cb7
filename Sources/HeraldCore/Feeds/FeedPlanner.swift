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
        context = FeedContext(publication: publication)

        var byTag: [String: [PostMeta]] = [:]
        var byCategory: [String: [PostMeta]] = [:]
        // One hash lookup per name (the default subscript modifies in place): hashing
        // Chinese names normalizes them, and a 10,000-post build does it for every tag.
        for meta in published {
            for tag in meta.tags { byTag[tag, default: []].append(meta, below: limit) }
            for cat in meta.categories { byCategory[cat, default: []].append(meta, below: limit) }
        }

        let base = publication.baseURL
        var plans = [FeedPlan(title: publication.title, directory: "", url: base, entries: Array(published.prefix(limit)))]
        func add(_ groups: [String: [PostMeta]], _ slugs: [String: String], folder: String) {
            // Sorted by slug so the order of the work (and of the record) never depends on hashing.
            for (name, entries) in groups.sorted(by: { slugs[$0.key]! < slugs[$1.key]! }) {
                let slug = slugs[name]!
                let url = URL(string: "\(folder)/\(FeedSlug.urlSegment(slug))/", relativeTo: base)!.absoluteURL
                plans.append(FeedPlan(title: "\(name) · \(publication.title)",
                                      directory: "\(folder)/\(slug)", url: url, entries: entries))
            }
        }
        // Slugs in first-use order, oldest post first: see FeedSlug.assign.
        add(byTag, FeedSlug.assign(Self.firstUse(published.reversed().map(\.tags))), folder: "tags")
        add(byCategory, FeedSlug.assign(Self.firstUse(published.reversed().map(\.categories))), folder: "categories")
        self.plans = plans
    }

    /// Each name once, in the order first met.
    private static func firstUse(_ lists: [[String]]) -> [String] {
        var seen: Set<String> = []
        return lists.joined().filter { seen.insert($0).inserted }
    }
}

private extension Array {
    /// Appends while the array holds fewer than `limit` elements.
    mutating func append(_ element: Element, below limit: Int) {
        if count < limit { append(element) }
    }
}
