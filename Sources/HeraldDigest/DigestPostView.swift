import Foundation
import HeraldBase
import HeraldConfig
import HeraldContent

/// One post as the templates see it, computed once per digest (the
/// sanitizing and wrapping do not depend on the subscriber).
struct DigestPostView: Sendable {
    let title: String
    let permalink: String
    let date: String
    let isoDate: String
    let author: String
    let authorURL: String?
    let tags: [String]
    let cover: String?
    /// Plain-text summary as the loader gave it.
    let summary: String
    /// The summary wrapped to 72 columns for the text part.
    let summaryText: String
    /// Sanitized, email-styled HTML of the whole post.
    let html: String
    /// The loader's plain text (72 columns, numbered link references).
    let text: String

    init(_ post: Post, dates: DigestDateFormat, sanitizer: (URL) -> HTMLSanitizer) {
        title = Whitespace.collapsed(post.title)
        permalink = post.permalink.absoluteString
        date = dates.long(post.date)
        isoDate = dates.iso(post.date)
        author = post.author.name
        // Front matter URLs go through the same scheme check as links in the post.
        let urls = sanitizer(post.permalink)
        authorURL = post.author.uri.flatMap { urls.safeURL($0, image: false) }
        tags = post.tags
        cover = post.cover.flatMap { urls.safeURL($0.absoluteString, image: true) }
        summary = post.summary
        summaryText = post.summary.split(separator: "\n", omittingEmptySubsequences: false)
            .flatMap { $0.isEmpty ? [""] : TextWrapper(width: PlainTextLayout.wrapColumns).wrap(String($0)) }
            .joined(separator: "\n")
        html = post.safeHTML(urls).html
        text = post.text.trimmingCharacters(in: .newlines)
    }

    /// `forTextPart`: `text` is a placeholder the text part swaps the loader's
    /// text back into after laying out the glue (see `PlainTextLayout`).
    func context(index: Int, count: Int, forTextPart: Bool) -> [String: Any] {
        var c: [String: Any] = [
            "title": title, "permalink": permalink, "date": date, "iso_date": isoDate, "author": author,
            "tags": tags, "has_tags": !tags.isEmpty, "tag_list": tags.joined(separator: ", "),
            "summary": summary, "summary_text": summaryText, "html": html,
            "text": forTextPart ? PlainTextLayout.placeholder(index) : text,
            "number": index + 1, "is_last": index == count - 1,
        ]
        if let authorURL { c["author_url"] = authorURL }
        if let cover { c["cover"] = cover }
        return c
    }
}
