import Foundation
import HeraldTestSupport
import Testing

@testable import HeraldContent

/// `Summary.moreMarkerStart` finds `<!--more-->` as bytes; it must find what Foundation's
/// `range(of:)` finds, on bodies of Chinese, ASCII, emoji, line ends, and pieces of the marker.
@Suite struct MoreMarkerSearchTests {
    static let pieces = [
        "<!--more-->", "<!--more--", "<!--", "more", "-->", "<", "!", "-", "周报", "a", " ", "\n", "👩‍💻", "é", "<!-- more -->",
        "<!--MORE-->",
    ]

    @Test func findsWhatFoundationFinds() {
        var random = TestRandom.seeded("MoreMarkerSearchTests.findsWhatFoundationFinds")
        for _ in 0..<3_000 {
            let text = (0..<Int.random(in: 0...12, using: &random)).map { _ in Self.pieces.randomElement(using: &random)! }.joined()
            // A slice, as the loader hands the body after the front matter.
            let whole = "---\ntitle: x\n---\n" + text
            let body = whole[whole.index(whole.startIndex, offsetBy: 16)...]
            let expected = body.range(of: Summary.moreMarker).map(\.lowerBound)
            let found = Summary.moreMarkerStart(in: body)
            #expect(found == expected, "\(text.debugDescription) (\(random.replay))")
            if let found { #expect(body[found...].hasPrefix(Summary.moreMarker)) }
        }
    }

    @Test func noMarkerAndEmptyBodies() {
        #expect(Summary.moreMarkerStart(in: "") == nil)
        #expect(Summary.moreMarkerStart(in: "<!--more--") == nil)
        let body: Substring = "前言\n<!--more-->\n正文"
        #expect(Summary.moreMarkerStart(in: body).map { String(body[..<$0]) } == "前言\n")
    }
}
