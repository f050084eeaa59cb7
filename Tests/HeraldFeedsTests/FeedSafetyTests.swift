import Foundation
import HeraldBase
import HeraldConfig
import HeraldContent
import HeraldFeeds
import HeraldTestSupport
import Testing

/// A post full of active content, built into every format: none of it reaches a feed,
/// and what the post says in plain HTML still does.
@Suite struct FeedSafetyTests {
    let dir: TempDir
    var out: URL { dir.url.appendingPathComponent("public") }
    init() throws { dir = try TempDir() }

    static let hostile = """
        <script>alert(1)</script><style>body{display:none}</style><p onclick="alert(2)">kept text
        <a href="javascript:alert(3)">js</a> <a href="https://ok.example.org/">ok</a></p>
        <iframe src="https://evil.example/"></iframe><img src="data:image/svg+xml;base64,PHN2Zz4=" alt="svg">
        <img src="data:image/png;base64,iVBORw0KGgo=" alt="png"><object data="x"></object>
        """

    static let active = ["<script", "<style", "<iframe", "<object", "onclick", "javascript:", "data:image/svg"]

    @Test func noFormatCarriesActiveContent() throws {
        let pub = try Fixture.publication(in: dir)
        let post = Fixture.post(
            1, html: Self.hostile, cover: URL(string: "javascript:alert(4)"),
            author: Person(name: "M", uri: "javascript:alert(5)"))
        _ = try Fixture.build(pub, [post], out: out)
        for name in ["atom.xml", "rss.xml", "feed.json"] {
            let raw = try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
            // XML escapes the HTML once and JSON not at all: undo the XML escaping to see the HTML.
            let text = raw.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&").lowercased()
            for needle in Self.active { #expect(!text.contains(needle), "\(name) carries \(needle)") }
            #expect(text.contains("kept text"), "\(name) lost the post's text")
            #expect(text.contains("https://ok.example.org/"), "\(name) lost the post's safe link")
            #expect(text.contains("data:image/png;base64,ivborw0kggo="), "\(name) lost the inline raster image")
        }
    }
}
