import Foundation

/// What a post's front matter says, normalized. Cheap to hold for every post
/// in a large folder: no Markdown has been rendered yet (see `Post`).
public struct PostMeta: Sendable, Hashable {
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

    public init(source: String, title: String, slug: String, permalink: URL, date: Date, utcOffset: Int,
                updated: Date, author: Person, description: String?, summaryOverride: String?,
                categories: [String], tags: [String], cover: URL?, draft: Bool) {
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
    }

    /// Drafts and posts dated after `now` are loaded but never published.
    public func isPublished(at now: Date) -> Bool { !draft && date <= now }
}
