import Testing

@testable import HeraldContent

/// Goldmark's heading attributes taken off the heading's text (the peer test
/// `test_a_posts_text_in_the_feed_is_the_text_of_hugos_page` holds a page to Hugo's).
@Suite struct HugoHeadingAttributesTests {
    static func html(_ markdown: String) -> String {
        Markdown.render(Substring(markdown), rewriter: nil, dialect: .hugo()).html
    }

    @Test(arguments: [
        ("## Notes {#notes}", "<h2>Notes</h2>\n"),
        ("# A *b* {.wide #x}  ", "<h1>A <em>b</em></h1>\n"),
        ("## Q {data-x=\"1\" key='v'}", "<h2>Q</h2>\n"), // smart quotes split the text
        ("Setext {#s}\n---", "<h2>Setext</h2>\n"),
        ("## {#only}", "<h2></h2>\n"),
    ])
    func attributeBlocksGo(_ markdown: String, _ expected: String) {
        #expect(Self.html(markdown) == expected)
    }

    @Test(arguments: [
        "## Using {x}", "## Set {}", "## Braces {#a} in the middle", "## Open {#a", "## Odd {#a b}",
        "## Quote {k=\"v}",
    ])
    func otherBracesAreText(_ markdown: String) {
        #expect(Self.html(markdown).contains("{"))
    }

    @Test(arguments: [
        ("## A {#a}", true), ("## A {#a}  \nx", true), ("x\n## A {.b}\r\n", true), ("{{< figure >}}\n", false),
        ("a { b", false), ("", false), ("}}", false), ("}", true),
    ])
    func mayContain(_ markdown: String, _ expected: Bool) {
        #expect(HugoHeadingAttributes.mayContain(Substring(markdown)) == expected)
    }

    @Test func onlyForHugoSites() {
        #expect(Markdown.render("## Notes {#notes}", rewriter: nil).html == "<h2>Notes {#notes}</h2>\n")
    }
}
