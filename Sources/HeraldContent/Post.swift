import Foundation
import HeraldBase

/// A post ready to publish: its front matter plus the rendered body.
/// Immutable; `post.title` etc. read through to `meta`.
@dynamicMemberLookup
public struct Post: Sendable, Hashable {
    public let meta: PostMeta
    /// cmark-gfm HTML with every relative href/src made absolute against the permalink.
    /// Raw: feeds and digests take it through `safeHTML(_:)`.
    let html: String
    /// Plain text for email, rendered from the Markdown (not stripped HTML).
    /// Empty when rendered with `PostLoader.Parts.web` (feeds never show it).
    public let text: String
    /// Front matter summary/description, else the body before `<!--more-->`,
    /// else the first ~120 characters of text (never cut inside a grapheme).
    public let summary: String
    /// The summary with its shape (headings, lists, tables) when it is the part before
    /// `<!--more-->`; nil for a written or an automatic summary, which are plain text.
    public let manualSummary: ManualSummary?
    /// What `herald check` points out without refusing the post (a shortcode left out).
    public let notes: [SourceProblem]
    /// `html` itself when rendering proved it holds nothing the sanitizer would remove or
    /// rewrite (Markdown without raw HTML beyond plain tags, links absolute http(s)).
    let inertHTML: SafeHTML?
    /// Its body links to another page by `ref`/`relref`: its output depends on that file
    /// too, so a feed holding it is never taken as current from its own files' stamps.
    package let readsOtherFiles: Bool

    public init(
        meta: PostMeta, html: String, text: String, summary: String, manualSummary: ManualSummary? = nil,
        notes: [SourceProblem] = []
    ) {
        self.init(
            meta: meta, html: html, text: text, summary: summary, manualSummary: manualSummary, notes: notes,
            inertHTML: nil)
    }

    init(
        meta: PostMeta, html: String, text: String, summary: String, manualSummary: ManualSummary?,
        notes: [SourceProblem], inertHTML: SafeHTML?, readsOtherFiles: Bool = false
    ) {
        self.meta = meta
        self.html = html
        self.text = text
        self.summary = summary
        self.manualSummary = manualSummary
        self.notes = notes
        self.inertHTML = inertHTML
        self.readsOtherFiles = readsOtherFiles
    }

    /// The post's HTML through `sanitizer`. Inert HTML is what an unstyled (feed) sanitizer
    /// gives back, so feeds publish it as it is; mail styles every element, so it is sanitized.
    package func safeHTML(_ sanitizer: HTMLSanitizer) -> SafeHTML {
        if sanitizer.presentation == .feed, let inertHTML { return inertHTML }
        return sanitizer.sanitize(html)
    }

    public subscript<T>(dynamicMember keyPath: KeyPath<PostMeta, T>) -> T { meta[keyPath: keyPath] }
}
