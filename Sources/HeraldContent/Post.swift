import Foundation
import HeraldBase

/// A post ready to publish: its front matter plus the rendered body.
/// Immutable; `post.title` etc. read through to `meta`.
@dynamicMemberLookup
public struct Post: Sendable, Hashable {
    public let meta: PostMeta
    /// cmark-gfm HTML with every relative href/src made absolute against the permalink.
    public let html: String
    /// Plain text for email, rendered from the Markdown (not stripped HTML).
    /// Empty when rendered with `PostLoader.Parts.web` (feeds never show it).
    public let text: String
    /// Front matter summary/description, else the body before `<!--more-->`,
    /// else the first ~120 characters of text (never cut inside a grapheme).
    public let summary: String
    /// What `herald check` points out without refusing the post (a shortcode left out).
    public let notes: [SourceProblem]
    /// `html` holds nothing the sanitizer would remove or rewrite (Markdown without raw
    /// HTML beyond plain tags, links absolute http(s)): feeds may publish it as it is.
    public let htmlIsInert: Bool

    public init(meta: PostMeta, html: String, text: String, summary: String, notes: [SourceProblem] = [],
                htmlIsInert: Bool = false) {
        self.meta = meta
        self.html = html
        self.text = text
        self.summary = summary
        self.notes = notes
        self.htmlIsInert = htmlIsInert
    }

    public subscript<T>(dynamicMember keyPath: KeyPath<PostMeta, T>) -> T { meta[keyPath: keyPath] }
}
