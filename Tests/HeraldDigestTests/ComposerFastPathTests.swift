import Foundation
import HeraldMail
import HeraldTestSupport
import Mustache
import Testing

@testable import HeraldDigest

/// The shortcuts the per-message composing takes, each held to the plain way it replaces.
@Suite struct ComposerFastPathTests {
    static let texts = [
        "", "Reader 12", "reader000012@example.org", "Zoë 小明", "a<b", "x & y", "\"q\"", "o'brien",
        "<\u{301}", "e\u{301}&", "&amp;", "https://example.org/u?t=abc&x=1",
    ]

    @Test(arguments: texts)
    func htmlEscapedIsTheTemplateLibrarysEscaping(_ text: String) throws {
        let templates = try TemplateSet.locate(for: DigestFixtures.publication(TempDir()), templatesDirectory: nil)
        let plain = try MustacheTemplate(string: "{{v}}").render(["v": text])
        #expect(templates.htmlEscaped(text) == plain)
    }

    @Test func atomBytesAreTheCharacterSetsASCII() {
        let atext = CharacterSet(charactersIn: "!#$%&'*+-/=?^_`{|}~ ").union(.alphanumerics)
        for byte in UInt8(0)...UInt8(127) {
            #expect(HeaderEncoding.isAtomOrSpace(byte) == atext.contains(Unicode.Scalar(byte)), "byte \(byte)")
        }
    }

    @Test func boundarySearchFindsWhatANaiveSearchFinds() {
        var generator = TestRandom.seeded("ComposerFastPathTests.boundarySearchFindsWhatANaiveSearchFinds")
        for _ in 0..<2_000 {
            let haystack = (0..<Int.random(in: 0...64, using: &generator)).map { _ in UInt8.random(in: 0x3C...0x3F, using: &generator) }
            let needle = (0..<Int.random(in: 1...4, using: &generator)).map { _ in UInt8.random(in: 0x3C...0x3F, using: &generator) }
            let naive =
                haystack.count >= needle.count
                && (0...(haystack.count - needle.count)).contains { Array(haystack[$0..<($0 + needle.count)]) == needle }
            #expect(MIMEMessage.contains(haystack, needle) == naive, "\(haystack) \(needle) \(generator.replay)")
        }
    }

    @Test(arguments: [
        "https://w.example.org/unsubscribe?t={token}", "https://w.example.org/u/{token}/{token}",
        "https://w.example.org/unsubscribe", "https://w.example.org/unsubscribe?list=1", "{token}",
    ])
    func tokenPiecesJoinToTheReplacedURL(_ url: String) {
        let token = "0f3a9c"
        let replaced =
            url.contains("{token}")
            ? url.replacingOccurrences(of: "{token}", with: token)
            : url + (url.contains("?") ? "&" : "?") + "token=" + token
        #expect(DigestComposer.tokenPieces(url).joined(separator: token) == replaced)
    }
}
