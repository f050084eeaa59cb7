import HeraldConfig

/// The Markdown a publication's posts are written in, the one value that rendering and
/// summaries ask instead of whether the publication is a Hugo site.
package enum MarkdownDialect: Sendable, Hashable {
    /// CommonMark with GitHub's tables, strikethrough and autolinks: a posts folder of
    /// herald.yml's own.
    case commonMark
    /// Hugo's Goldmark, for the pages of a Hugo site: task lists, footnotes, typographic
    /// quotes and dashes, heading attributes and definition lists; Hugo's automatic summary
    /// of `summaryLength` words (characters in Chinese, Japanese or Korean pages when the
    /// site sets `hasCJKLanguage`). Raw HTML in a post is written only when the site sets
    /// `markup.goldmark.renderer.unsafe`; otherwise it is `<!-- raw HTML omitted -->`, as on
    /// the site's own pages. The defaults are Hugo's.
    case hugo(summaryLength: Int = 70, hasCJKLanguage: Bool = false, rendersRawHTML: Bool = false)

    /// Hugo's, with the site's settings, when the publication is a section of a Hugo site.
    init(_ publication: Publication) {
        guard let site = publication.hugo else {
            self = .commonMark
            return
        }
        self = .hugo(
            summaryLength: site.summaryLength, hasCJKLanguage: site.hasCJKLanguage, rendersRawHTML: site.rendersRawHTML)
    }
}
