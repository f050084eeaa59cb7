import Foundation
import HeraldBase
import HeraldConfig

/// `herald init` without `--hugo`: a commented herald.yml for a folder of Markdown posts,
/// and the posts folder with one draft showing the front matter Herald reads (Hugo's).
/// The values given are checked here, so what is written passes `herald check`.
public struct PlainPublicationTemplate {
    public let title: String
    public let baseURL: String
    public let language: String
    public let timeZone: String
    /// The folder herald.yml goes in.
    public let folder: URL

    public typealias Failure = PublicationTemplateFailure

    public init(title: String, baseURL: String, language: String?, timeZone: String?, folder: URL) {
        self.title = title
        self.baseURL = baseURL
        self.language = language ?? "en"
        self.timeZone = timeZone ?? TimeZone.current.identifier
        self.folder = folder.standardizedFileURL
    }

    /// Writes `folder/herald.yml` and, when there is none, `folder/posts/` with a draft; returns herald.yml's path.
    public func write() throws(Failure) -> String {
        try validate()
        let file = try PublicationTemplateText.write(render(), in: folder)
        let posts = folder.appendingPathComponent("posts")
        if !FileManager.default.fileExists(atPath: posts.path) {
            do {
                try FileManager.default.createDirectory(at: posts, withIntermediateDirectories: true)
                try Data(firstDraft().utf8).write(to: posts.appendingPathComponent("welcome.md"), options: .withoutOverwriting)
            } catch {
                throw .cannotWrite(posts.path, error.localizedDescription)
            }
        }
        return file
    }

    private func validate() throws(Failure) {
        guard let url = URL(string: baseURL), ["https", "http"].contains(url.scheme ?? ""), url.host?.isEmpty == false else {
            throw .badValue(
                "--base-url must be the absolute address the posts are published at, such as https://example.org/, not \(baseURL.debugDescription)"
            )
        }
        if let problem = LanguageTag.problem(language) { throw .badValue("--language: \(problem)") }
        guard TimeZone(identifier: timeZone) != nil else {
            throw .badValue("--timezone: \(timeZone.debugDescription) is not an IANA time zone such as Asia/Shanghai or UTC")
        }
        guard !Whitespace.collapsed(title).isEmpty else { throw .badValue("--title must not be empty") }
    }

    func render() -> String {
        let q = PublicationTemplateText.quoted
        let base = baseURL.hasSuffix("/") ? baseURL : baseURL + "/"
        return """
            # A publication made of the Markdown posts in posts/. Written by `herald init`.
            # Every key is explained in docs/configuration.md (or run `herald help config`).
            title: \(q(Whitespace.collapsed(title)))
            # description: What readers get, in one sentence.
            base_url: \(q(base))
            language: \(q(language))
            # Dates without an offset, and the digest schedule, are in this zone.
            timezone: \(q(timeZone))
            # author:
            #   name: …
            #   email: …

            # One Markdown file per post, front matter as in Hugo (title, date, draft, tags,
            # summary, slug…); the permalink uses Hugo's tokens and must match the site's URLs.
            posts: posts
            permalink: /posts/:slug/

            feeds:
              entries: 20
              content: full

            \(PublicationTemplateText.mailKeys)
            """
    }

    /// A draft, so a new publication shows the format without publishing anything.
    private func firstDraft() -> String {
        let now = Date()
        let offset = TimeZone(identifier: timeZone)?.secondsFromGMT(for: now) ?? 0
        return """
            ---
            title: Welcome
            date: \(InternetDates.rfc3339(now, offset: offset))
            draft: true
            tags: [news]
            ---
            This post is a draft: Herald leaves it out of the feeds and the digests until
            `draft: true` is removed. Its summary is front matter `summary:`, else the text
            before a `<!--more-->` line, else the first 120 characters.

            """
    }
}
