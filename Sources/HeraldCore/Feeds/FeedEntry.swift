/// One post as the feeds write it: dates formatted and long text escaped once, then
/// shared by the Atom and RSS writers of every feed that carries the post.
struct FeedEntry: Sendable {
    let post: Post
    let permalink: String
    let title: String
    let author: Person
    /// RFC 3339 for Atom.
    let published: String
    let updated: String
    /// RFC 822 for RSS.
    let pubDate: String
    /// Atom `summary`: the plain-text summary.
    let summary: EscapedText
    /// RSS `description` is read as HTML, so the plain summary is HTML-escaped first
    /// (`a < b` must not open a tag), then XML-escaped like any text.
    let description: EscapedText
    /// The full HTML, or nil when `feeds.content` is `summary`.
    let html: EscapedText?

    init(_ post: Post, context: FeedContext) {
        self.post = post
        permalink = post.permalink.absoluteString
        title = post.title.singleLine
        author = context.author(of: post)
        published = FeedDates.rfc3339(post.date, offset: post.utcOffset)
        updated = FeedDates.rfc3339(post.meta.entryUpdated, offset: post.utcOffset)
        pubDate = FeedDates.rfc822(post.date, offset: post.utcOffset)
        summary = EscapedText(post.summary)
        description = EscapedText(post.summary.htmlEscaped)
        html = context.content == .full ? EscapedText(post.html) : nil
    }
}

private extension String {
    var htmlEscaped: String {
        guard utf8.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") }) else {
            return self
        }
        var out = ""
        out.reserveCapacity(utf8.count + 16)
        for c in unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
