import HeraldBase
import Testing

@Suite struct HTMLEntitiesTests {
    /// What cmark, the footnotes and `HTMLEscaping` write comes back as text, in one pass.
    @Test func decodesTheReferencesHeraldAndCmarkWrite() {
        #expect(
            HTMLEntities.decoded("x &amp;lt; &lt;y&gt; &quot;z&quot; note.&#160;&#x21a9;&#xfe0e;")
                == "x &lt; <y> \"z\" note.\u{A0}\u{21A9}\u{FE0E}")
        #expect(HTMLEntities.decoded("it&#39;s &apos;q&apos; a&#x27;b &#X1F680;") == "it's 'q' a'b 🚀")
        #expect(HTMLEntities.decoded("https://e.org/?a=1&amp;b=2") == "https://e.org/?a=1&b=2")
    }

    @Test(arguments: [
        "", "no references", "a & b", "&", "&;", "&#;", "&#x;", "&amp", "&nosuch;", "&#0;",
        "&#xD800;", "&#x110000;", "&#12345678;", "&#1a;", "&#xg;", "& amp;", "文 & 🚀",
    ])
    func leavesAnythingElseAsWritten(_ text: String) {
        #expect(HTMLEntities.decoded(text) == text)
    }

    /// Escaping then decoding gives the text back (less NUL, which escaping drops).
    @Test(arguments: ["a < b & c > d", "\"q\" 'a' &amp;", "e\u{301}&\u{301} 文档 🚀", "&#39;"])
    func undoesHTMLEscaping(_ text: String) {
        #expect(HTMLEntities.decoded(HTMLEscaping.text(text)) == text)
        #expect(HTMLEntities.decoded(HTMLEscaping.attribute(text)) == text)
        #expect(HTMLEntities.decoded(HTMLEscaping.attribute(text, quote: "'")) == text)
    }
}
