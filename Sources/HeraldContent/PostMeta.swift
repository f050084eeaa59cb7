import Foundation
import HeraldConfig

/// What a post's front matter says, normalized. Cheap to hold for every post
/// in a large folder: no Markdown has been rendered yet (see `Post`).
///
/// An immutable class rather than a struct: a build hands the same 10,000 metas through
/// the scan, the sort, the published filter and every feed that carries them, and a
/// struct of a dozen strings and URLs pays a dozen reference counts per copy (BENCHMARKS.md,
/// "Where the speed tricks came from"). Equality and hashing are still by value.
public final class PostMeta: Sendable, Hashable {
    /// The post file, as shown in messages (relative to where herald was run).
    public let source: String
    public let title: String
    public let slug: String
    /// Absolute URL: `base_url` + the publication's permalink pattern.
    public let permalink: URL
    public let date: Date
    /// The UTC offset the date was written with (or the publication's), in seconds;
    /// feeds print dates in the author's offset.
    public let utcOffset: Int
    /// `lastmod`/`updated`, else `date`.
    public let updated: Date
    public let author: Person
    public let description: String?
    /// Front matter `summary`, when the author wrote one.
    public let summaryOverride: String?
    /// Order kept, duplicates dropped.
    public let categories: [String]
    public let tags: [String]
    /// Absolute URL of the cover image.
    public let cover: URL?
    public let draft: Bool
    /// When the post may first be published (Hugo's `publishDate`, else `date`).
    public let publishDate: Date
    /// When the post stops being published (Hugo's `expiryDate`), if ever.
    public let expiryDate: Date?

    public init(
        source: String, title: String, slug: String, permalink: URL, date: Date, utcOffset: Int,
        updated: Date, author: Person, description: String?, summaryOverride: String?,
        categories: [String], tags: [String], cover: URL?, draft: Bool,
        publishDate: Date? = nil, expiryDate: Date? = nil
    ) {
        self.source = source
        self.title = title
        self.slug = slug
        self.permalink = permalink
        self.date = date
        self.utcOffset = utcOffset
        self.updated = updated
        self.author = author
        self.description = description
        self.summaryOverride = summaryOverride
        self.categories = categories
        self.tags = tags
        self.cover = cover
        self.draft = draft
        self.publishDate = publishDate ?? date
        self.expiryDate = expiryDate
    }

    public static func == (a: PostMeta, b: PostMeta) -> Bool {
        a === b
            || (a.source == b.source && a.title == b.title && a.slug == b.slug && a.permalink == b.permalink
                && a.date == b.date && a.utcOffset == b.utcOffset && a.updated == b.updated && a.author == b.author
                && a.description == b.description && a.summaryOverride == b.summaryOverride
                && a.categories == b.categories && a.tags == b.tags && a.cover == b.cover && a.draft == b.draft
                && a.publishDate == b.publishDate && a.expiryDate == b.expiryDate)
    }

    /// The source file names the post; equal metas share it.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(source)
        hasher.combine(permalink)
    }

    /// Drafts, posts whose publish date is after `now` and expired posts are loaded but
    /// not published, as Hugo does.
    public func isPublished(at now: Date) -> Bool {
        !draft && publishDate <= now && (expiryDate.map { $0 > now } ?? true)
    }

    /// When a post that is not published now will be (nil: never, by time alone).
    public func publishedFrom(now: Date) -> Date? {
        guard !draft, publishDate > now, expiryDate.map({ $0 > publishDate }) ?? true else { return nil }
        return publishDate
    }
}
