/// HTML that may go into a feed or a mail as it is: the sanitizer's output, or a post's
/// HTML that rendering proved holds only what the sanitizer keeps. Nothing outside
/// HeraldContent can make one, so no feed or digest carries HTML that skipped both.
public struct SafeHTML: Sendable, Hashable {
    public let html: String

    /// Only `HTMLSanitizer.sanitize` and `Markdown.Rendered.inertHTML` vouch for HTML.
    init(vouchedFor html: String) {
        self.html = html
    }
}
