/// A summary the author cut with `<!--more-->`, kept with its shape: headings, lists and
/// tables stay what they are, as in Hugo's `.Summary`, instead of running into one
/// paragraph. Rendered like the body (same dialect, so the same typography; URLs absolute
/// against the permalink). Automatic summaries have no shape to keep and stay plain text.
public struct ManualSummary: Sendable, Hashable {
    /// cmark-gfm HTML of the part before `<!--more-->`. Raw: shown through `safeHTML(_:)`.
    let html: String
    /// The same part laid out as the body's plain text is (`PlainTextRenderer`: bullets,
    /// tables aligned by display width, numbered link references), ending without a
    /// newline. Empty when the post was rendered for the web only.
    public let text: String
    /// `html` itself when rendering proved the sanitizer would leave it as it is.
    let inertHTML: SafeHTML?

    init(html: String, text: String, inertHTML: SafeHTML?) {
        self.html = html
        self.text = text
        self.inertHTML = inertHTML
    }

    /// The summary's HTML through `sanitizer`, as `Post.safeHTML(_:)` does for the body.
    package func safeHTML(_ sanitizer: HTMLSanitizer) -> SafeHTML {
        if sanitizer.presentation == .feed, let inertHTML { return inertHTML }
        return sanitizer.sanitize(html)
    }
}
