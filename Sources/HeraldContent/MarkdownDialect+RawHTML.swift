extension MarkdownDialect {
    /// Which raw HTML of a post is written: all of it, or (a Hugo site without
    /// `markup.goldmark.renderer.unsafe`) only what shortcodes wrote, as on the site's page.
    struct RawHTML {
        let all: Bool
        let shortcodeTags: Set<String>

        /// Whether a raw HTML node is written: every tag in it is a shortcode's.
        func keeps(_ literal: String) -> Bool {
            if all { return true }
            let tags = Shortcodes.htmlTags(in: literal)
            return !tags.isEmpty && tags.isSubset(of: shortcodeTags)
        }
    }

    func rawHTML(shortcodeTags: Set<String>) -> RawHTML {
        switch self {
        case .commonMark, .hugo(_, _, true): RawHTML(all: true, shortcodeTags: [])
        case .hugo(_, _, false): RawHTML(all: false, shortcodeTags: shortcodeTags)
        }
    }
}
