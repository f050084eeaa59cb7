import Foundation
import Testing

@testable import HeraldContent

@Suite struct ShortcodesTests {
    let shortcodes = Shortcodes { target in target == "a.md" ? "https://e.org/a/" : nil }

    @Test(arguments: [
        ("x {{< y >}}", true), ("{{% y %}}", true), ("{{<", true), ("{{", false), ("{ {< x", false),
        ("{{ .Title }}", false), ("", false), ("正文{{<x>}}", true),
    ])
    func mayContain(_ body: String, _ expected: Bool) {
        #expect(Shortcodes.mayContain(Substring(body)) == expected)
        // The same answer from the slow, obvious search.
        #expect(expected == (body.contains("{{<") || body.contains("{{%")))
    }

    @Test func rendersTheStaticOnesAndNamesTheRest() {
        let body =
            "a\n{{< ref \"a.md\" >}}\n{{< youtube id=\"xyz\" >}}\n\n{{% callout %}}\ninner\n{{% /callout %}}\n{{< ref \"none.md\" >}}\n"
        let out = shortcodes.expand(Substring(body), firstLine: 10)
        #expect(out.markdown.contains("https://e.org/a/"))
        #expect(out.markdown.contains("(https://www.youtube.com/watch?v=xyz)"))
        #expect(out.markdown.contains("inner"))
        #expect(!out.markdown.contains("{{"))
        #expect(out.notes.map(\.line) == [14, 17])
        #expect(out.notes[0].message.contains("\"callout\""))
        #expect(out.notes[1].message.contains("none.md"))
    }

    @Test func escapedShortcodesStayText() {
        let out = shortcodes.expand("{{</* figure src=\"x\" */>}}", firstLine: 1)
        #expect(out.markdown == "{{< figure src=\"x\" >}}")
        #expect(out.notes.isEmpty)
    }
}
