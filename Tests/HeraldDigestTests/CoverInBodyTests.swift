import Foundation
import HeraldContent
import HeraldDigest
import HeraldTestSupport
import Testing

/// A weekly whose cover is also the first picture of its body shows that picture once
/// in a full digest: in the body, where the author put it.
@Suite struct CoverInBodyTests {
    let dir: TempDir

    init() throws { dir = try TempDir() }

    static let coverURL = "https://weekly.example.org/img/a.png"

    /// The body names the cover relative to the post; resolved, it is the same URL.
    static let weekly = DigestFixtures.post(
        html: "<p>本周精选问答。</p>\n<p><img src=\"../../img/a.png\" alt=\"本周封面\"></p>\n"
            + "<p><img src=\"https://cdn.example.org/people.png\" alt=\"贡献者\"></p>",
        cover: URL(string: coverURL))

    static func occurrences(of needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test func fullDigestShowsTheCoverOnceInTheBody() throws {
        let composer = try DigestFixtures.composer(try DigestFixtures.publication(dir), posts: [Self.weekly])
        let html = composer.previewHTML(for: DigestFixtures.subscriber)
        #expect(Self.occurrences(of: "src=\"\(Self.coverURL)\"", in: html) == 1)
        #expect(html.contains("alt=\"本周封面\""))
        #expect(html.contains("src=\"https://cdn.example.org/people.png\""))
    }

    @Test func aCoverTheBodyDoesNotOpenWithStays() throws {
        let other = DigestFixtures.post(cover: URL(string: "https://cdn.example.org/cover.png"))
        let composer = try DigestFixtures.composer(try DigestFixtures.publication(dir), posts: [other])
        let html = composer.previewHTML(for: DigestFixtures.subscriber)
        #expect(html.contains("src=\"https://cdn.example.org/cover.png\""))
        #expect(html.contains("src=\"https://weekly.example.org/img/a.png\""))
    }

    /// A summary digest shows no body, so the cover is the only picture and stays.
    @Test func summaryDigestKeepsTheCover() throws {
        let yaml = DigestFixtures.yaml.replacingOccurrences(of: "content: full", with: "content: summary")
        let composer = try DigestFixtures.composer(
            try DigestFixtures.publication(dir, yaml: yaml), posts: [Self.weekly])
        let html = composer.previewHTML(for: DigestFixtures.subscriber)
        #expect(Self.occurrences(of: "src=\"\(Self.coverURL)\"", in: html) == 1)
        #expect(!html.contains("alt=\"本周封面\""))
    }

    @Test(
        arguments: [
            ("<p>文字</p><img alt=\"x\" src=\"https://a.example/1.png?a=1&amp;b=2\">", "https://a.example/1.png?a=1&b=2"),
            ("<imgx src=\"https://a.example/no.png\"><img src=\"https://a.example/2.png\" />", "https://a.example/2.png"),
            ("<p>没有图片</p>", nil),
        ] as [(String, String?)])
    func firstImageSource(html: String, expected: String?) {
        let post = DigestFixtures.post(html: html)
        let safe = post.safeHTML(HTMLSanitizer(base: post.permalink))
        #expect(safe.firstImageSource == expected)
    }
}
