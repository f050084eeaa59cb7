import Foundation
import HeraldMail
import HeraldTestSupport
import Testing

@Suite struct HeaderEncodingTests {
    @Test(arguments: [
        "社区周报 第 12 期：SOFAArk 社区会议预告、Layotto 社区会议回顾、社区本周贡献与下周计划",
        String(repeating: "é", count: 100),
        "👩‍👩‍👧‍👦 family 🇨🇳 flag " + String(repeating: "👍🏽", count: 30),
        "a",
    ])
    func encodedWordsAreShortWholeUTF8AndRoundTrip(_ text: String) {
        let words = HeaderEncoding.encodedWords(text, firstLimit: 69)
        #expect(words.allSatisfy { $0.count <= 75 })
        #expect(words.first.map { $0.count <= 69 } ?? false)
        // Each word decodes on its own: no UTF-8 sequence is split across words.
        #expect(words.allSatisfy { PlainEncodedWords.decode([$0]) != nil })
        #expect(PlainEncodedWords.decode(words) == text)
    }

    @Test func crlfInValueCannotStartAHeader() {
        let field = HeaderEncoding.unstructured("Subject", "Weekly\r\nBcc: evil@x\nX: y")
        #expect(!field.contains("\r\nBcc"))
        #expect(!field.contains("\nX"))
        #expect(field == "Subject: Weekly Bcc: evil@x X: y")
    }

    @Test func asciiSubjectFoldsAtSpacesUnder78() {
        let field = HeaderEncoding.unstructured("Subject", Array(repeating: "weekly", count: 30).joined(separator: " "))
        let lines = field.components(separatedBy: "\r\n")
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { $0.count <= 78 })
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix(" ") })
    }

    @Test func nonASCIISubjectIsEncodedAndFolded() {
        let field = HeaderEncoding.unstructured("Subject", String(repeating: "周报", count: 40))
        let lines = field.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 78 && $0.unicodeScalars.allSatisfy(\.isASCII) })
        let words = lines.map { $0.replacingOccurrences(of: "Subject:", with: "").trimmingCharacters(in: .whitespaces) }
        #expect(PlainEncodedWords.decode(words) == String(repeating: "周报", count: 40))
    }

    @Test func textThatLooksEncodedIsEncoded() {
        let field = HeaderEncoding.unstructured("Subject", "=?UTF-8?B?ZXZpbA==?=")
        #expect(field.hasPrefix("Subject: =?UTF-8?B?PT9"))
    }

    @Test func displayNamesQuoteSpecialsAndEncodeNonASCII() {
        #expect(HeaderEncoding.mailbox(name: "Weekly Team", address: "a@b.org") == ["Weekly", "Team", "<a@b.org>"])
        #expect(
            HeaderEncoding.mailbox(name: "Doe, \"J\" <x>", address: "a@b.org")
                == ["\"Doe, \\\"J\\\" <x>\"", "<a@b.org>"])
        let encoded = HeaderEncoding.mailbox(name: "小明", address: "a@b.org")
        #expect(PlainEncodedWords.decode(Array(encoded.dropLast())) == "小明")
        #expect(HeaderEncoding.mailbox(name: nil, address: "a@b.org") == ["a@b.org"])
        #expect(HeaderEncoding.mailbox(name: "\r\n", address: "a@b.org") == ["a@b.org"])
        // A word too long to fold is split into encoded words instead of making a 998+ octet line.
        let long = HeaderEncoding.mailbox(name: String(repeating: "x", count: 2000), address: "a@b.org")
        #expect(long.allSatisfy { $0.count <= 75 })
        #expect(PlainEncodedWords.decode(Array(long.dropLast())) == String(repeating: "x", count: 2000))
    }
}
