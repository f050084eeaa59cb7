import Foundation
import Testing
@testable import HeraldMail

@Suite struct QuotedPrintableTests {
    /// RFC 2045 decoding, written independently of the encoder.
    static func decode(_ qp: String) -> String? {
        var bytes: [UInt8] = []
        let lines = qp.components(separatedBy: "\r\n")
        for (index, line) in lines.enumerated() {
            var chars = Array(line.utf8)
            let soft = chars.last == UInt8(ascii: "=")
            if soft { chars.removeLast() }
            var i = 0
            while i < chars.count {
                if chars[i] == UInt8(ascii: "=") {
                    guard i + 2 < chars.count,
                          let byte = UInt8(String(decoding: chars[(i + 1)...(i + 2)], as: UTF8.self), radix: 16)
                    else { return nil }
                    bytes.append(byte)
                    i += 3
                } else {
                    bytes.append(chars[i])
                    i += 1
                }
            }
            if !soft, index < lines.count - 1 { bytes += [13, 10] }
        }
        return String(bytes: bytes, encoding: .utf8)
    }

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
        #expect(Self.decode(encoded) == text.replacingOccurrences(of: "\n", with: "\r\n"))
    }

    @Test func softBreaksAroundTheLineLimit() {
        for length in 70...82 {
            for tail in ["", "=", " ", "é", "中"] {
                let text = String(repeating: "a", count: length) + tail
                let encoded = QuotedPrintable.encode(text)
                #expect(encoded.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 76 }, "\(length) \(tail)")
                #expect(Self.decode(encoded) == text, "\(length) \(tail)")
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
