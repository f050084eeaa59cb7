import Foundation
import HeraldMail
import HeraldTestSupport
import Testing

@Suite struct QuotedPrintableTests {
    @Test(arguments: [
        "plain ascii line",
        "trailing space \nand tab\t\nend",
        "a=b and =?UTF-8?B?x?=",
        String(repeating: "长行中文混排 with Latin words, ", count: 20),
        "From here\n.\n.leading dot",
        "",
    ])
    func roundTripsWithShortLines(_ text: String) {
        let encoded = QuotedPrintable.encode(text)
        #expect(encoded.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 76 })
        #expect(encoded.utf8.allSatisfy { $0 < 0x80 })
        #expect(PlainQuotedPrintable.decode(encoded) == text.replacingOccurrences(of: "\n", with: "\r\n"))
    }

    @Test func softBreaksAroundTheLineLimit() {
        for length in 70...82 {
            for tail in ["", "=", " ", "é", "中"] {
                let text = String(repeating: "a", count: length) + tail
                let encoded = QuotedPrintable.encode(text)
                #expect(encoded.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 76 }, "\(length) \(tail)")
                #expect(PlainQuotedPrintable.decode(encoded) == text, "\(length) \(tail)")
            }
        }
    }

    @Test func trailingWhitespaceAndFromAreProtected() {
        let encoded = QuotedPrintable.encode("end \nFrom me")
        #expect(encoded == "end=20\r\n=46rom me")
    }

    @Test func chineseTextPrefersBase64LatinPrefersQP() {
        #expect(BodyEncoding.encode(String(repeating: "中文内容", count: 50)).encoding == .base64)
        #expect(BodyEncoding.encode("An English digest, mostly ASCII.\nCafé.").encoding == .quotedPrintable)
        let b64 = BodyEncoding.encode(String(repeating: "中文内容", count: 50)).body
        #expect(b64.components(separatedBy: "\r\n").allSatisfy { $0.count <= 76 })
    }
}
