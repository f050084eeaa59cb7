import Foundation
import HeraldConfig
import HeraldContent

/// Decides which feeds exist and which posts each carries, from metadata alone: the
/// publication's feed, one per tag and one per category, each with the newest
/// `feeds.entries` published posts; for a `hugo:` publication also the RSS of each at
/// Hugo's address. Folders are relative to the site's folder.
struct FeedPlanner {
    let context: FeedContext
    let plans: [FeedPlan]
    /// Tags or categories that get no feed, and why.
    private(set) var notes: [String] = []

    /// `published` must be newest first, drafts and future posts already removed.
    init(publication: Publication, published: [PostMeta]) {
        let limit = publication.feeds.entries == 0 ? Int.max : publication.feeds.entries
        context = FeedContext(publication: publication)

        let base = context.home
        let folder = context.folder
        let hugo = context.hugoFeeds
        let archive = Self.archivePlans(publication: publication, published: published, context: context)
        let files = FeedFiles.of(publication)
        let newest = Array(published.prefix(limit))
        var plans = [
            FeedPlan(
                title: publication.title, directory: Self.directory(folder), url: base, entries: newest,
                files: files,
                archive: archive.first?.archive.map {
                    ArchiveLinks(current: base, folder: $0.folder, isArchive: false, prev: archive.count, next: nil)
                })
        ]
        plans += archive
        // Hugo's section feed, where its readers subscribed: the same items, the same guids.
        if let hugo, hugo.hasSectionFeed {
            plans.append(
                FeedPlan(
                    title: publication.title, directory: Self.directory(hugo.section), url: URL(string: hugo.sectionURL)!,
                    entries: newest, files: .hugoRSS))
        }
        func add(_ groups: [String: [PostMeta]], _ slugs: [String: String], taxonomy: String) {
            // Sorted by slug so the order of the work (and of the record) never depends on hashing.
            for (name, entries) in groups.sorted(by: { slugs[$0.key]! < slugs[$1.key]! }) {
                let slug = slugs[name]!
                let url = URL(string: "\(taxonomy)/\(FeedSlug.urlSegment(slug))/", relativeTo: base)!.absoluteURL
                plans.append(
                    FeedPlan(
                        title: "\(name) · \(publication.title)",
                        directory: "\(folder)\(taxonomy)/\(slug)", url: url, entries: entries, files: files))
            }
        }
        if let source = publication.hugo {
            // A Hugo site has a page for each term: its feed stands for that page, sits in a
            // folder of that name in the publication's, and with `hugo_index` its RSS is also
            // written in the page's own folder, where Hugo published it.
            let rules = HugoURLRules(keepCase: source.disablePathToLower, removeAccents: source.removePathAccents)
            let site = SiteLayout(publication: publication)
            for (taxonomy, names) in [(SiteLayout.Name.tags, \PostMeta.tags), (SiteLayout.Name.categories, \PostMeta.categories)] {
                var terms = HugoTerms(taxonomy: taxonomy, rules: rules, limit: limit)
                for meta in published { terms.add(meta[keyPath: names], of: meta) }
                for var term in terms.terms.values.sorted(by: { $0.folder < $1.folder }) {
                    if let own = TermPage.title(taxonomy: taxonomy, folder: term.folder, of: source) { term.title = own }
                    let segment = HugoTerms.urlPath(term.folder)
                    let page = URL(string: site.termPageURL(taxonomy, urlPath: segment))!
                    let title = "\(term.title) · \(publication.title)"
                    plans.append(
                        FeedPlan(
                            title: title, directory: "\(folder)\(taxonomy)/\(term.folder)", url: page, entries: term.entries,
                            folderURL: URL(string: "\(taxonomy)/\(segment)/", relativeTo: base)!.absoluteURL, files: files))
                    if let hugo, hugo.hasTermFeeds {
                        plans.append(
                            FeedPlan(
                                title: title, directory: Self.directory(hugo.termFolder(taxonomy, slug: term.folder)), url: page,
                                entries: term.entries, files: .hugoRSS))
                    }
                }
                notes += terms.notes
            }
        } else {
            var tags = Groups(limit: limit)
            var categories = Groups(limit: limit)
            for (index, meta) in published.enumerated() {
                tags.add(meta.tags, of: meta, at: index)
                categories.add(meta.categories, of: meta, at: index)
            }
            // Slugs in first-use order, oldest post first: see FeedSlug.assign.
            add(tags.entries, FeedSlug.assign(tags.namesInFirstUseOrder), taxonomy: SiteLayout.Name.tags)
            add(categories.entries, FeedSlug.assign(categories.namesInFirstUseOrder), taxonomy: SiteLayout.Name.categories)
        }
        self.plans = plans
    }

    /// A folder relative to the site's folder as a plan names it: no trailing slash.
    static func directory(_ folder: String) -> String {
        folder.hasSuffix("/") ? String(folder.dropLast()) : folder
    }

    /// The publication's archive pages, oldest first (empty when `feeds.archive` is 0).
    /// Pages are filled from the oldest post on, so a new post only ever lands on the
    /// newest page. There is always a page after the last full one, empty until the next
    /// post: a full page then links to its successor from the start and is never
    /// rewritten to add the link.
    static func archivePlans(publication: Publication, published: [PostMeta], context: FeedContext? = nil) -> [FeedPlan] {
        let context = context ?? FeedContext(publication: publication)
        let size = publication.feeds.archive
        guard size > 0 else { return [] }
        let base = context.home
        let folder = URL(string: SiteLayout.Name.archive + "/", relativeTo: base)!.absoluteURL
        let oldestFirst = Array(published.reversed())
        let pages = oldestFirst.count / size + 1
        return (1...pages).map { page in
            let posts = oldestFirst[min((page - 1) * size, oldestFirst.count)..<min(page * size, oldestFirst.count)]
            let links = ArchiveLinks(
                current: base, folder: folder, isArchive: true,
                prev: page > 1 ? page - 1 : nil, next: page < pages ? page + 1 : nil)
            return FeedPlan(
                title: publication.title, directory: context.folder + SiteLayout.Name.archive, url: base,
                entries: posts.reversed(), folderURL: folder, files: .archivePage(page), archive: links,
                emptySince: posts.isEmpty && page > 1
                    ? oldestFirst[((page - 2) * size)..<((page - 1) * size)]
                        .max { $0.entryUpdated < $1.entryUpdated } : nil)
        }
    }
}

/// The newest posts of each tag (or category), and where each name was first used,
/// gathered in one pass over the posts with one hash lookup per name: hashing Chinese
/// names normalizes them, and a 10,000-post build does it for every tag of every post.
private struct Groups {
    private struct Group {
        var entries: [PostMeta] = []
        /// Index of the oldest post with the name (posts come newest first), and the
        /// name's place in that post's list.
        var firstUse = (post: 0, place: 0)

        mutating func record(_ meta: PostMeta, at index: Int, place: Int, limit: Int) {
            if entries.count < limit { entries.append(meta) }
            firstUse = (index, place)
        }
    }

    let limit: Int
    private var groups: [String: Group] = [:]

    init(limit: Int) { self.limit = limit }

    mutating func add(_ names: [String], of meta: PostMeta, at index: Int) {
        for (place, name) in names.enumerated() {
            // The default subscript modifies in place: one lookup.
            groups[name, default: Group()].record(meta, at: index, place: place, limit: limit)
        }
    }

    var entries: [String: [PostMeta]] { groups.mapValues(\.entries) }

    /// Each name once, oldest post first, then in that post's order.
    var namesInFirstUseOrder: [String] {
        groups.sorted { a, b in
            let (x, y) = (a.value.firstUse, b.value.firstUse)
            return x.post != y.post ? x.post > y.post : x.place < y.place
        }.map(\.key)
    }
}
