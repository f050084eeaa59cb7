import Foundation
import HeraldBase
import Testing

@Suite struct ASCIISearchTests {
    /// The byte scan only decides "no"; a "yes" is Foundation's, which does not count a
    /// character followed by a combining mark. Titles with such text must keep their type.
    @Test func answersAsFoundationDoes() {
        let cases = ["", "plain", "a<b", "<", "a<\u{338}b", "<\u{301}", "x\u{301}<", "≮", "\u{338}<", "1 < 2", "a=\u{301}b", "a=b"]
        for text in cases {
            #expect(text.contains(ascii: "<") == text.contains("<"), "\(text.unicodeScalars.map(\.value))")
            #expect(text.contains(ascii: "=") == text.contains("="), "\(text.unicodeScalars.map(\.value))")
        }
        #expect(!"a<\u{338}b".contains(ascii: "<"))
        #expect("1 < 2".contains(ascii: "<"))
    }
}
