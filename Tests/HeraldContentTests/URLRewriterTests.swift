import Foundation
import Testing

@testable import HeraldContent

@Suite struct URLRewriterTests {
    let rewriter = URLRewriter(base: URL(string: "https://weekly.example.org/blog/weekly-03/")!)

    @Test(arguments: [
        ("images/a.png", "https://weekly.example.org/blog/weekly-03/images/a.png"),
        ("../isolation/", "https://weekly.example.org/blog/isolation/"),
        ("/docs/design/", "https://weekly.example.org/docs/design/"),
        ("//cdn.example.org/x.js", "https://cdn.example.org/x.js"),
        ("#section", "https://weekly.example.org/blog/weekly-03/#section"),
        ("images/合影 1.png", "https://weekly.example.org/blog/weekly-03/images/%E5%90%88%E5%BD%B1%201.png"),
        ("https://github.com/example", "https://github.com/example"),
        ("mailto:security@example.org", "mailto:security@example.org"),
        ("data:image/png;base64,AAAA", "data:image/png;base64,AAAA"),
    ])
    func resolvesAgainstThePermalink(_ reference: String, _ expected: String) {
        #expect(rewriter.absolute(reference) == expected)
    }

    @Test func rawHTMLAttributesAreRewritten() {
        let html = #"<img src="../images/map.png" alt="地图 > 会场" width=320><a href='/signup/?a=1&amp;b=2'>报名</a>"#
        #expect(
            rewriter.rewriteHTML(html)
                == #"<img src="https://weekly.example.org/blog/images/map.png" alt="地图 > 会场" width=320><a href='https://weekly.example.org/signup/?a=1&amp;b=2'>报名</a>"#
        )
    }

    @Test func unquotedValuesSrcsetAndCommentsAreHandled() {
        #expect(
            rewriter.rewriteHTML("<img src=a.png srcset=\"a.png 1x, b.png 2x\">")
                == #"<img src="https://weekly.example.org/blog/weekly-03/a.png" srcset="https://weekly.example.org/blog/weekly-03/a.png 1x, https://weekly.example.org/blog/weekly-03/b.png 2x">"#
        )
        #expect(rewriter.rewriteHTML("<!-- <a href=\"x\"> --><br/>") == "<!-- <a href=\"x\"> --><br/>")
        #expect(rewriter.rewriteHTML("<div data-href=\"x\" title='src=y'>") == "<div data-href=\"x\" title='src=y'>")
    }
}
