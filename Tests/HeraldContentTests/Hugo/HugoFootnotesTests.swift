import HeraldTestSupport
import Testing

@testable import HeraldContent

/// cmark-gfm's footnotes as Goldmark writes them (Hugo's own output is in the peer tests
/// `test_footnote_links_land_on_the_anchors_of_hugos_page` and `test_summaries_are_hugos`).
@Suite struct HugoFootnotesTests {
    static func html(_ markdown: String) -> String {
        Markdown.render(Substring(markdown), rewriter: nil, dialect: .hugo()).html
    }

    static func hrefs(_ html: String) -> [String] {
        html.split(separator: "href=\"#").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    @Test func numbersInTheOrderOfFirstReferenceAndCountsRepeats() {
        let html = Self.html("a[^b] b[^a] c[^b] d[^b]\n\n[^a]: A.\n[^b]: B.\n[^c]: never cited\n")
        #expect(Self.hrefs(html) == ["fn:1", "fn:2", "fn:1", "fn:1", "fnref:1", "fnref1:1", "fnref2:1", "fnref:2"])
        #expect(!html.contains("never cited"))
    }

    @Test func aLabelEndingInADashAndDigitIsNotARepeat() {
        let html = Self.html("x[^n-2] y[^n] z[^n]\n\n[^n]: N.\n[^n-2]: N two.\n")
        #expect(Self.hrefs(html) == ["fn:1", "fn:2", "fn:2", "fnref:1", "fnref:2", "fnref1:2"])
    }

    @Test func nonASCIIAndEscapedLabelsAreMatchedAsCmarkWritesThem() {
        let html = Self.html("甲[^注释] 乙[^&]\n\n[^注释]: 一。\n[^&]: two\n")
        #expect(Self.hrefs(html) == ["fn:1", "fn:2", "fnref:1", "fnref:2"])
    }

    @Test func theBlockIsGoldmarksWithARuleAndGluedBackLinks() {
        let html = Self.html("a[^x] b[^x]\n\n[^x]: Note.\n")
        #expect(
            html.hasSuffix(
                """
                <div class="footnotes" role="doc-endnotes">
                <hr>
                <ol>
                <li id="fn-x">
                <p>Note.&#160;<a href="#fnref:1" class="footnote-backref" role="doc-backlink">&#x21a9;&#xfe0e;</a>\
                &#160;<a href="#fnref1:1" class="footnote-backref" role="doc-backlink">&#x21a9;&#xfe0e;</a></p>
                </li>
                </ol>
                </div>

                """))
    }

    /// Definitions of odd shapes: empty, a code block, a list, a reference inside a note.
    @Test(arguments: [
        "x[^1]\n\n[^1]:\n", "x[^1]\n\n[^1]:\n    ```\n    code\n    ```\n",
        "x[^1] y[^2]\n\n[^1]: - a\n    - b\n[^2]: see[^1]\n", "[^1]: alone\n", "x[^1]\n",
    ])
    func oddDefinitionsAreRewrittenWhereTheyCanBeAndNeverBreak(_ markdown: String) {
        let html = Self.html(markdown)
        #expect(!html.contains("#fn-") && !html.contains("#fnref-"), "\(html)")
    }

    /// Random documents of footnote pieces: nothing traps, and where cmark-gfm shows a
    /// reference, no link keeps a cmark-gfm name. (Definitions nested in definitions can give
    /// a notes list with back links and no reference at all; those are left as they are.)
    @Test func randomDocumentsKeepNoCmarkNames() {
        let pieces = [
            "a", " ", "[^a]", "[^b-2]", "[^b]", "\n", "\n\n", "[^a]: ", "[^b-2]: ", "[^b]: ", "- ", "    ",
            "```", "<a href=\"#fn-a\">raw</a>", "&", "注",
        ]
        var rng = TestRandom.seeded("HugoFootnotesTests")
        for _ in 0..<2000 {
            let markdown = (0..<Int.random(in: 1...30, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let html = Self.html(markdown)
            guard html.contains("data-footnote-ref") else { continue }
            let names = Self.hrefs(html)
            #expect(
                !names.contains { $0.hasPrefix("fn-") || $0.hasPrefix("fnref-") } || markdown.contains("<a href"),
                "\(markdown.debugDescription) \(html.debugDescription) \(rng.replay)")
            let ids = Set(html.split(separator: "id=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) })
            let references = Set(names.filter { $0.hasPrefix("fn:") })
            #expect(references.count <= ids.filter { $0.hasPrefix("fn-") }.count, "\(markdown) \(rng.replay)")
        }
    }

    @Test func withoutFootnotesNothingChanges() {
        let html = "<p><a href=\"#fn-1\">not a footnote</a></p>\n"
        #expect(HugoFootnotes.rewrite(html) == html)
        #expect(Self.hrefs(Self.html("[x](#fn-1)")) == ["fn-1"])
    }
}
