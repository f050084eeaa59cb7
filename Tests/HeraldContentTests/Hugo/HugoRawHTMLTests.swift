import Testing

@testable import HeraldContent

/// Raw HTML in a Hugo site's post appears as on the site's page: only when the site sets
/// `markup.goldmark.renderer.unsafe`, else Goldmark's `<!-- raw HTML omitted -->`.
@Suite struct HugoRawHTMLTests {
    static let markdown = "Some <b>bold</b> words.\n\n<div class=\"x\">\nA block\n</div>\n\nAfter.\n"

    @Test func omittedByDefault() {
        let rendered = Markdown.render(Substring(Self.markdown), rewriter: nil, dialect: .hugo())
        #expect(
            rendered.html
                == "<p>Some <!-- raw HTML omitted -->bold<!-- raw HTML omitted --> words.</p>\n<!-- raw HTML omitted -->\n<p>After.</p>\n"
        )
        // Left out of the plain text too.
        var plain = PlainTextRenderer()
        #expect(!plain.render(rendered.document).contains("A block"))
    }

    @Test func keptWhenTheSiteSaysUnsafe() {
        let rendered = Markdown.render(Substring(Self.markdown), rewriter: nil, dialect: .hugo(rendersRawHTML: true))
        #expect(rendered.html.contains("<b>bold</b>") && rendered.html.contains("<div class=\"x\">\nA block\n</div>"))
        // A herald.yml posts folder is not Hugo's: its raw HTML is kept.
        #expect(Markdown.render(Substring(Self.markdown), rewriter: nil).html.contains("<b>bold</b>"))
    }
}
