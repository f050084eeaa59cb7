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
    /// The cover image; nil in a full digest when the body's first image is the same
    /// picture (the same absolute URL). The body keeps it, not the cover: there it stands where the author put it, with
    /// its alt text and the words around it, and the message shows the picture once.
    let cover: String?
    /// Plain-text summary as the loader gave it; empty when it only repeats the title
    /// (see `TitleEcho`), and then both parts show the title alone.
    let summary: String
    /// The summary for the text part: a manual summary laid out as the body is (lists,
    /// aligned table rows), any other wrapped to 72 columns.
    let summaryText: String
    /// Sanitized, email-styled HTML of a manual summary (`ManualSummary`), which keeps its
    /// headings, lists and tables; nil for a plain one, which the template puts in a `<p>`.
    let summaryHTML: String?
    /// Sanitized, email-styled HTML of the whole post.
    let html: String
    /// The loader's plain text (72 columns, numbered link references).
    let text: String

    /// `full`: the digest shows whole posts (`digest.content: full`), not summaries.
    init(_ post: Post, dates: DigestDateFormat, full: Bool, sanitizer: (URL) -> HTMLSanitizer) {
        title = Whitespace.collapsed(post.title)
        permalink = post.permalink.absoluteString
        date = dates.long(post.date)
        isoDate = dates.iso(post.date)
        author = post.author.name
        // Front matter URLs go through the same scheme check as links in the post.
        let urls = sanitizer(post.permalink)
        authorURL = post.author.uri.flatMap { urls.safeURL($0, image: false) }
        tags = post.tags
        let safeHTML = post.safeHTML(urls)
        let cover = post.cover.flatMap { urls.safeURL($0.absoluteString, image: true) }
        self.cover = full && cover != nil && safeHTML.firstImageSource == cover ? nil : cover
        let echoesTitle = TitleEcho.summary(post.summary, repeats: post.title)
        summary = echoesTitle ? "" : post.summary
        let manual = echoesTitle ? nil : post.manualSummary
        summaryHTML = manual.map { $0.safeHTML(urls).html.trimmingCharacters(in: .newlines) }
        if let manual, !manual.text.isEmpty {
            summaryText = manual.text
        } else {
            summaryText = summary.split(separator: "\n", omittingEmptySubsequences: false)
                .flatMap { $0.isEmpty ? [""] : TextWrapper(width: PlainTextLayout.wrapColumns).wrap(String($0)) }
                .joined(separator: "\n")
        }
        html = safeHTML.html
        text = post.text.trimmingCharacters(in: .newlines)
    }

    /// `forTextPart`: `text` is a placeholder the text part swaps the loader's
    /// text back into after laying out the glue (see `PlainTextLayout`).
    func context(index: Int, count: Int, forTextPart: Bool) -> [String: Any] {
        var c: [String: Any] = [
            "title": title, "permalink": permalink, "date": date, "iso_date": isoDate, "author": author,
            "tags": tags, "has_tags": !tags.isEmpty, "tag_list": tags.joined(separator: ", "),
            "summary": summary, "has_summary": !summary.isEmpty, "summary_text": summaryText,
            "summary_html": summaryHTML ?? "", "has_summary_html": summaryHTML != nil, "html": html,
            "text": forTextPart ? PlainTextLayout.placeholder(index) : text,
            "number": index + 1, "is_last": index == count - 1,
        ]
        if let authorURL { c["author_url"] = authorURL }
        if let cover { c["cover"] = cover }
        return c
    }
}
