import Testing

@testable import HeraldContent

/// Hugo's StripHTML, whose spaces are what a summary's word count counts (the peer test
/// `test_summaries_are_hugos` holds the whole summary to Hugo's).
@Suite struct HugoTextTests {
    @Test(arguments: [
        ("<p>a</p>\n<p>b</p>\n", "a\nb\n"), // one newline between paragraphs, not "\n "
        ("<ul>\n<li>x</li>\n<li>y</li>\n</ul>\n", " x y "), // a run across tags is one space
        ("<p>a  b\tc</p>", "a b\tc\n"), // a run keeps its first character
        ("<p>a&#160; b &quot;c&quot;</p>", "a&#160; b &quot;c&quot;\n"), // entities stay: no space, no sentence end
    ])
    func plainCollapsesWhiteSpaceAsHugoDoes(_ html: String, _ expected: String) {
        #expect(HugoText.plain(html) == expected)
    }
}
