import Foundation
import Testing

@testable import HeraldContent

@Suite struct HTMLSanitizerTests {
    let sanitizer = HTMLSanitizer(base: URL(string: "https://weekly.example.org/posts/a/")!)

    static let hostile = """
        <style>p{color:red}</style><p onclick="x()" class="c" style="background:url(javascript:alert(1))">hi
        <a href="javascript:alert(1)">js</a> <a href=" JaVa\tScRiPt:alert(1)">tab</a>
        <a href="vbscript:msgbox(1)">vb</a> <a href="data:text/html,<script>alert(1)</script>">data</a>
        <img src="x" onerror="alert(1)"><img src="data:image/svg+xml;base64,PHN2Zz4=" alt="svg">
        <IMG SRC="javascript:alert(1)"></p><script>alert(2)</script><iframe src="https://evil"></iframe>
        <object data="x"></object><embed src="x"><form action="https://evil"><input name="q"></form>
        <svg onload="alert(1)"><script>alert(3)</script></svg><math><mi>x</mi></math>
        <details open ontoggle="alert(1)"><summary>s</summary>body</details><base href="https://evil/">
        """

    @Test func removesEveryDeniedElementAttributeAndScheme() {
        let out = sanitizer.sanitize(Self.hostile).html.lowercased()
        for needle in [
            "<script", "<style", "<iframe", "<object", "<embed", "<form", "<input", "<svg", "<math",
            "<base", "onclick", "onerror", "onload", "ontoggle", "javascript:", "vbscript:", "data:",
            "class=", "alert(2)", "alert(3)", "color:red",
        ] {
            #expect(!out.contains(needle), "\(needle) survived: \(out)")
        }
        // Text of unwrapped elements survives; that of dropped ones does not.
        #expect(out.contains("hi"))
        #expect(out.contains("body"))
    }

    /// Task lists (`- [x] done`) keep their boxes, as Hugo shows them: disabled, nothing else on them.
    @Test func keepsTaskListBoxesDisabledAndNoOtherInput() {
        let feed = HTMLSanitizer(base: URL(string: "https://weekly.example.org/posts/a/")!, presentation: .feed)
        let out = feed.sanitize(
            #"""
            <ul><li><input type="checkbox" checked="" disabled="" onclick="x()" name="n"> done</li>
            <li><INPUT TYPE="CheckBox"> todo</li></ul><p><input type="text" value="v"><input type="submit"></p>
            """#
        ).html
        #expect(out.contains(#"<li><input type="checkbox" checked="" disabled=""> done</li>"#), "\(out)")
        #expect(out.contains(#"<input type="checkbox" disabled=""> todo"#), "\(out)")
        #expect(out.components(separatedBy: "<input").count == 3, "\(out)")
        #expect(!out.contains("onclick") && !out.contains("text") && !out.contains("submit") && !out.contains("name="))
    }

    @Test func makesLinksAndImagesAbsoluteAndGivesImagesAlt() {
        let out = sanitizer.sanitize(#"<p><a href="../b/">b</a> <img src="/img/x.png"></p>"#).html
        #expect(out.contains(#"href="https://weekly.example.org/posts/b/""#))
        #expect(out.contains(#"src="https://weekly.example.org/img/x.png" alt="""#))
    }

    @Test func cleansURLsLikeBrowsersBeforeCheckingTheScheme() {
        #expect(sanitizer.safeURL(" \u{1}java\tscr\nipt:alert(1) ", image: false) == nil)
        #expect(sanitizer.safeURL("\u{0}https://e.org/a\tb ", image: false) == "https://e.org/ab")
        #expect(sanitizer.safeURL("//cdn.e.org/x.png", image: true) == "https://cdn.e.org/x.png")
        #expect(sanitizer.safeURL("mailto:a@b.org", image: false) == "mailto:a@b.org")
        #expect(sanitizer.safeURL("mailto:a@b.org", image: true) == nil)
        #expect(sanitizer.safeURL("ftp://e.org/f", image: false) == nil)
    }

    @Test func keepsRasterDataImagesButNotSVG() {
        let png = #"<img src="data:image/png;base64,iVBORw0KGgo=" alt="p"><img src="data:image/svg+xml;base64,PHN2Zz4=" alt="s">"#
        let out = sanitizer.sanitize(png).html
        #expect(out.contains("data:image/png;base64,iVBORw0KGgo="))
        #expect(!out.contains("svg"))
    }

    @Test func escapesTextAndAttributesAndInlinesStyles() {
        let out = sanitizer.sanitize(#"<p title="x">a &lt;b&gt; &amp; "c" 中文</p><blockquote>q<br/>r</blockquote>"#).html
        #expect(out.contains("a &lt;b&gt; &amp; \"c\" 中文"))
        #expect(out.contains("<br>"))
        #expect(out.contains(#"<blockquote style="margin:0 0 16px 0;"#))
        #expect(!out.contains("title="))
    }

    @Test func layoutContainersKeepTheirBlockBreak() {
        let out = sanitizer.sanitize(#"<section id="s"><p>a</p></section><details open><summary>More</summary>text</details>"#).html
        #expect(out.hasPrefix(#"<div style="margin:0 0 16px 0;"><p "#))
        #expect(out.contains(">More</p>text</div>"))
        #expect(!out.contains("section") && !out.contains("details") && !out.contains("id="))
    }

    /// A video or an iframe becomes a link to what it plays or shows, the poster its content.
    @Test func videoAndIframeBecomeLinks() {
        let feed = HTMLSanitizer(base: URL(string: "https://weekly.example.org/posts/a/")!, presentation: .feed)
        #expect(
            feed.sanitize(#"<video controls poster="still.jpg"><source src="clip.mp4" type="video/mp4">No video</video>"#).html
                == #"<a href="https://weekly.example.org/posts/a/clip.mp4"><img src="https://weekly.example.org/posts/a/still.jpg" alt="Video"></a>"#
        )
        #expect(
            feed.sanitize(#"<video src="https://cdn.example.org/v.webm"></video>"#).html
                == #"<a href="https://cdn.example.org/v.webm">https://cdn.example.org/v.webm</a>"#)
        #expect(
            feed.sanitize(#"<iframe src="https://www.youtube.com/embed/x" title="A talk"></iframe>"#).html
                == #"<a href="https://www.youtube.com/embed/x">A talk</a>"#)
        #expect(feed.sanitize(#"<iframe src="javascript:alert(1)"></iframe><video></video>"#).html == "")
    }

    @Test func repairsBrokenMarkup() {
        let out = sanitizer.sanitize("<p>one<p>two<ul><li>a<li>b</ul></div>").html
        #expect(out.contains("one</p>"))
        #expect(out.components(separatedBy: "<li").count == 3)
        #expect(!out.contains("</div>"))
    }

    @Test func feedPresentationKeepsTheAllowListWithoutStyles() {
        let feed = HTMLSanitizer(base: URL(string: "https://weekly.example.org/posts/a/")!, presentation: .feed)
        let out = feed.sanitize(Self.hostile + "<table><tr><td>c</td></tr></table>").html.lowercased()
        for needle in [
            "<script", "<style", "<iframe", "<object", "<embed", "<form", "<svg", "onclick", "onerror",
            "javascript:", "vbscript:", "data:", "style=", "overflow-x",
        ] {
            #expect(!out.contains(needle), "\(needle) survived: \(out)")
        }
        #expect(out.contains("<table><tr><td>c</td></tr></table>"))
        #expect(feed.sanitize(#"<p><a href="../b/">b</a></p>"#).html == #"<p><a href="https://weekly.example.org/posts/b/">b</a></p>"#)
    }

    /// The fast path of `safeURL` against the plain one: whatever it passes through
    /// unchanged, parsing gives back unchanged too; whatever parsing changes or refuses,
    /// it leaves to parsing.
    @Test(arguments: [
        "https://weekly.example.org/posts/a/", "http://e.org", "https://e.org/a?b=c&d=e#f", "https://e.org/%E5%BC%80",
        "https://user:pw@e.org:8080/p;x=1/(a)*!$'+,~", "https://github.com/example/sofaark/issues/961",
        "https://e.org/%zz", "https://e.org/%E5%B", "https://e.org/a#b#c", "https://[::1]/", "https://e.org/a b",
        "https://e.org/中文", "HTTPS://E.ORG/", "http:///x", "https://", "javascript:alert(1)", "https://e.org/\\x",
        "https://e.org/a|b", "https://e.org/a\"b", "https://e.org/{x}", "https://e.org/a^b", "https://e.org/`",
    ])
    func fastURLPathAgreesWithParsing(_ url: String) {
        if HTMLSanitizer.isPlainAbsolute(url) {
            #expect(sanitizer.parsedSafeURL(url, image: false) == url)
            #expect(sanitizer.parsedSafeURL(url, image: true) == url)
        }
        #expect(sanitizer.safeURL(url, image: false) == sanitizer.parsedSafeURL(url, image: false))
    }
}
