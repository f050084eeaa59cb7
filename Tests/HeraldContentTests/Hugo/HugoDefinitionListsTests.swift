import Foundation
import HeraldTestSupport
import Testing

@testable import HeraldContent

/// Goldmark's definition lists rebuilt from cmark-gfm's paragraphs (the peer test
/// `test_a_posts_text_in_the_feed_is_the_text_of_hugos_page` holds a page to Hugo's).
@Suite struct HugoDefinitionListsTests {
    static let markdown =
        "Intro.\n\nApple\nPear\n: A *fruit*\nstill fruit.\n: Second.\n\nLoose\n\n: A def.\n\n: B def.\n\n"
        + "Text\n:no space\n\n: orphan\n\nAfter.\n"

    /// The structure Hugo 0.111 writes for the same Markdown, whitespace aside.
    @Test func structureIsGoldmarks() {
        let html = Markdown.render(Substring(Self.markdown), rewriter: nil, dialect: .hugo()).html
        let tags = html.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined()
        #expect(
            tags == "<p>Intro.</p><dl><dt>Apple</dt><dt>Pear</dt><dd>A <em>fruit</em>still fruit.</dd><dd>Second.</dd>"
                + "<dt>Loose</dt><dd><p>A def.</p></dd><dd><p>B def.</p></dd><dt>Text</dt><dt>:no space</dt>"
                + "<dd><p>orphan</p></dd></dl><p>After.</p>")
    }

    @Test func plainTextKeepsEveryTermAndDefinition() {
        var renderer = PlainTextRenderer()
        let text = renderer.render(Markdown.render(Substring(Self.markdown), rewriter: nil, dialect: .hugo()).document)
        #expect(
            text == """
                Intro.

                Apple
                Pear
                    A fruit still fruit.
                    Second.
                Loose
                    A def.
                    B def.
                Text
                :no space
                    orphan

                After.

                """)
    }

    /// Random documents of list, quote and definition pieces: nothing traps, and every word
    /// of the source is still in both the HTML and the text part.
    @Test func randomDocumentsLoseNoWord() {
        let pieces = ["term", "def", ": ", ":", "\n", "\n\n", "- ", "> ", "1. ", "*em*", "  ", "    ", "# ", "`x`"]
        var rng = TestRandom.seeded("HugoDefinitionListsTests")
        for _ in 0..<2000 {
            let markdown = (0..<Int.random(in: 1...24, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let rendered = Markdown.render(Substring(markdown), rewriter: nil, dialect: .hugo())
            var renderer = PlainTextRenderer()
            let text = renderer.render(rendered.document)
            for word in ["term", "def", "em"] where markdown.contains(word) {
                let plain = Markdown.render(Substring(markdown), rewriter: nil).html.contains(word)
                #expect(!plain || rendered.html.contains(word), "\(markdown.debugDescription) \(rng.replay)")
                #expect(!plain || text.contains(word), "\(markdown.debugDescription) \(text.debugDescription) \(rng.replay)")
            }
        }
    }

    /// The quick look at the source says yes wherever a list can be (it may say yes more often).
    @Test(arguments: [
        ("a\n: b", true), (": b", true), ("> a\n> : b", true), ("- a\n  :\tb", true), ("a: b", false),
        ("a\n:b", false), ("a\n::", false), ("", false), ("x\n :", false),
    ])
    func mayContain(_ markdown: String, _ expected: Bool) {
        #expect(HugoDefinitionLists.mayContain(Substring(markdown)) == expected)
    }

    @Test func withoutAColonLineOrOutsideHugoSitesNothingChanges() {
        #expect(Markdown.render("a\n:b\n", rewriter: nil, dialect: .hugo()).html == "<p>a\n:b</p>\n")
        #expect(Markdown.render("a\n: b\n", rewriter: nil).html == "<p>a\n: b</p>\n")
        #expect(Markdown.render(": alone\n", rewriter: nil, dialect: .hugo()).html == "<p>: alone</p>\n")
    }
}
