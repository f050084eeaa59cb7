import Foundation
import Testing

@testable import HeraldContent

/// Feeds publish a post's HTML without sanitizing it when rendering found it inert
/// (`Markdown.Rendered.isInert`). Held here to the plain way: for every inert document the
/// sanitizer keeps the same elements, attributes and text (it drops only the harmless
/// `class` of code blocks), and anything it would change is never called inert.
@Suite struct InertMarkdownTests {
    static let base = URL(string: "https://weekly.example.org/posts/a/")!
    let sanitizer = HTMLSanitizer(base: base, presentation: .feed)

    static let inert = [
        "## 标题 & &lt;more&gt;\n\n段落 **粗** *斜* `code <x>` ~~del~~ [link](https://e.org/a?b=1&c=2 \"t\") [rel](../b/)\n",
        "> 引用<br/>\n> second line <em>inline</em> and <sub>2</sub>\n\n- a\n- b\n\n3. c\n4. d\n",
        "![图片](images/1.png)\n\n```go\nfunc main() { println(\"<script>\") }\n```\n\n---\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n",
        "Autolinked https://github.com/example/issues/1 and <https://e.org/x> and **[*https://e.org/y*](https://e.org/y)**\n",
        "Text with &amp; entities &lt;b&gt; and \"quotes\" 'single' and a hard  \nbreak\n",
    ]

    static let active = [
        "<script>alert(1)</script>\n", "a <span onclick=\"x\">b</span>\n", "[js](javascript:alert(1))\n",
        "[mail](mailto:a@e.org)\n", "<div class=\"x\">block</div>\n", "<iframe src=\"https://e.org\"></iframe>\n",
        "![svg](data:image/svg+xml;base64,PHN2Zz4=)\n", "<a href=\"https://e.org\">raw link</a>\n", "<img src=\"https://e.org/x.png\">\n",
        "text <!-- comment --> more\n",
    ]

    /// The document as element names, sorted attributes and text, `class` left out.
    func shape(_ nodes: [HTMLNode]) -> [String] {
        nodes.flatMap { node -> [String] in
            switch node {
            case .text(let text): return ["text " + text]
            case .element(let name, let attributes, let children):
                let kept = attributes.filter { $0.name != "class" }.map { "\($0.name)=\($0.value)" }.sorted()
                return ["<\(name) \(kept.joined(separator: " "))>"] + shape(children) + ["</\(name)>"]
            }
        }
    }

    @Test(arguments: inert)
    func inertHTMLIsWhatTheSanitizerWouldKeep(_ markdown: String) {
        let rendered = Markdown.render(Substring(markdown), rewriter: URLRewriter(base: Self.base))
        #expect(rendered.isInert, "\(markdown) not inert: \(rendered.html)")
        #expect(
            shape(HTMLTree.parse(rendered.html)) == shape(HTMLTree.parse(sanitizer.sanitize(rendered.html).html)),
            "\(rendered.html)\nvs\n\(sanitizer.sanitize(rendered.html).html)")
    }

    @Test(arguments: active)
    func anythingTheSanitizerChangesIsNotInert(_ markdown: String) {
        let rendered = Markdown.render(Substring(markdown), rewriter: URLRewriter(base: Self.base))
        #expect(!rendered.isInert, "\(markdown) called inert: \(rendered.html)")
    }

    @Test func hugoExtrasAreNotInert() {
        let tasks = Markdown.render("- [x] done\n- [ ] not yet\n", rewriter: URLRewriter(base: Self.base), dialect: .hugo())
        #expect(!tasks.isInert)
        let notes = Markdown.render("Text[^1].\n\n[^1]: note\n", rewriter: URLRewriter(base: Self.base), dialect: .hugo())
        #expect(!notes.isInert)
    }
}
