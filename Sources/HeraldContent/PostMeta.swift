import Foundation
import HeraldConfig
import Synchronization

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
    public var title: String { details.title }
    public var slug: String { details.slug }
    /// Absolute URL: `base_url` + the publication's permalink pattern, as text (what feeds,
    /// ids and the clash check use); `permalink` is it parsed.
    public let permalinkText: String
    public let date: Date
    /// The UTC offset the date was written with (or the publication's), in seconds;
    /// feeds print dates in the author's offset.
    public let utcOffset: Int
    /// `lastmod`/`updated`, else `date`.
    public let updated: Date
    public var author: Person { details.author }
    public var description: String? { details.description }
    /// Front matter `summary`, when the author wrote one.
    public var summaryOverride: String? { details.summaryOverride }
    /// Order kept, duplicates dropped.
    public let categories: [String]
    public let tags: [String]
    /// Absolute URL of the cover image, as text; `cover` is it parsed.
    public var coverText: String? { details.coverText }
    public let draft: Bool
    /// When the post may first be published (Hugo's `publishDate`, else `date`).
    public let publishDate: Date
    /// When the post stops being published (Hugo's `expiryDate`), if ever.
    public let expiryDate: Date?

    /// What only a post that is shown needs: a build plans from dates, tags and categories.
    package struct Details: Sendable {
        package var title: String
        package var slug: String
        package var author: Person
        package var description: String?
        package var summaryOverride: String?
        package var coverText: String?

        package init(
            title: String, slug: String, author: Person, description: String?, summaryOverride: String?, coverText: String?
        ) {
            self.title = title
            self.slug = slug
            self.author = author
            self.description = description
            self.summaryOverride = summaryOverride
            self.coverText = coverText
        }
    }

    /// The details as given, or nil when `loader` makes them on first use.
    private let given: Details?
    /// Makes the details of a meta read from the scan cache: a build reads the metas of
    /// 10,000 posts from it and shows a few dozen, and making every title, author and
    /// description a String was a tenth of a build after one post changed.
    private let loader: (@Sendable () -> Details)?

    /// What is made on first use: the URLs as parsed (parsing every permalink through
    /// Foundation was another tenth, BENCHMARKS.md, "Incremental builds"), the details.
    private struct Made {
        var permalink: URL?
        var cover: URL?
        /// Boxed: a meta whose details were given never fills it, and inline it made every
        /// one of 50,000 metas 150 bytes larger.
        var details: Loaded?
    }
    private final class Loaded: Sendable {
        let details: Details
        init(_ details: Details) { self.details = details }
    }
    private let made: Mutex<Made>

    public convenience init(
        source: String, title: String, slug: String, permalink: URL, date: Date, utcOffset: Int,
        updated: Date, author: Person, description: String?, summaryOverride: String?,
        categories: [String], tags: [String], cover: URL?, draft: Bool,
        publishDate: Date? = nil, expiryDate: Date? = nil
    ) {
        self.init(
            source: source, permalinkText: permalink.absoluteString, date: date, utcOffset: utcOffset, updated: updated,
            categories: categories, tags: tags, draft: draft, publishDate: publishDate, expiryDate: expiryDate,
            details: Details(
                title: title, slug: slug, author: author, description: description, summaryOverride: summaryOverride,
                coverText: cover?.absoluteString),
            loader: nil, parsed: (permalink, cover))
    }

    /// `permalinkText` and the details' `coverText` must be what `URL.absoluteString` gives
    /// of URLs (they are parsed again on use, and must parse). `details`, else `loader`.
    package init(
        source: String, permalinkText: String, date: Date, utcOffset: Int, updated: Date,
        categories: [String], tags: [String], draft: Bool, publishDate: Date? = nil, expiryDate: Date? = nil,
        details: Details?, loader: (@Sendable () -> Details)?, parsed: (permalink: URL?, cover: URL?) = (nil, nil)
    ) {
        precondition(details != nil || loader != nil, "a post's details, or how to make them")
        self.source = source
        self.permalinkText = permalinkText
        self.date = date
        self.utcOffset = utcOffset
        self.updated = updated
        self.categories = categories
        self.tags = tags
        self.draft = draft
        self.publishDate = publishDate ?? date
        self.expiryDate = expiryDate
        given = details
        self.loader = details == nil ? loader : nil
        made = Mutex(Made(permalink: parsed.permalink, cover: parsed.cover, details: nil))
    }

    /// The details, made on first use for a meta read from the cache.
    package var details: Details { given ?? loaded }

    private var loaded: Details {
        made.withLock { made in
            if let loaded = made.details { return loaded.details }
            let details = loader!()
            made.details = Loaded(details)
            return details
        }
    }

    public static func == (a: PostMeta, b: PostMeta) -> Bool {
        a === b
            || (a.source == b.source && a.title == b.title && a.slug == b.slug && a.permalinkText == b.permalinkText
                && a.date == b.date && a.utcOffset == b.utcOffset && a.updated == b.updated && a.author == b.author
                && a.description == b.description && a.summaryOverride == b.summaryOverride
                && a.categories == b.categories && a.tags == b.tags && a.coverText == b.coverText && a.draft == b.draft
                && a.publishDate == b.publishDate && a.expiryDate == b.expiryDate)
    }

    /// The source file names the post; equal metas share it.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(source)
        hasher.combine(permalinkText)
    }

    /// `permalinkText` as a URL, parsed on first use.
    public var permalink: URL {
        made.withLock { made in
            if let url = made.permalink { return url }
            // The text is what a URL's absoluteString gave (the scan's or the cache's): it parses.
            let url = URL(string: permalinkText)!
            made.permalink = url
            return url
        }
    }

    /// `coverText` as a URL, parsed on first use.
    public var cover: URL? {
        guard let coverText else { return nil }
        return made.withLock { made in
            if let url = made.cover { return url }
            let url = URL(string: coverText)
            made.cover = url
            return url
        }
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
