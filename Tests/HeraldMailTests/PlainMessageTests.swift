import Foundation
import HeraldMail
import HeraldTestSupport
import Testing

/// A message of one `text/plain` part: no multipart around it, the wire rules of the digest.
@Suite struct PlainMessageTests {
    @Test(arguments: ["Hello Zoë,\n\nOpen this link:\nhttps://example.org/confirm?token=abc\n", "读者，你好：\n\n请确认订阅。\n"])
    func onePartWithItsOwnContentType(text: String) throws {
        var message = MIMEMessage()
        message.addTokens("From", ["a@example.org"])
        message.addTokens("MIME-Version", ["1.0"])
        let bytes = message.bytes(plain: text)
        let raw = String(decoding: bytes, as: UTF8.self)
        let split = try #require(raw.range(of: "\r\n\r\n"))
        let head = raw[..<split.lowerBound]
        let body = raw[split.upperBound...]
        #expect(!raw.contains("multipart"))
        #expect(
            head.hasSuffix(
                "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: \(head.contains("base64") ? "base64" : "quoted-printable")"
            ))
        #expect(bytes.allSatisfy { $0 < 0x80 })
        #expect(!raw.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(raw.hasSuffix("\r\n"))
        let decoded =
            head.contains("base64")
            ? String(decoding: Data(base64Encoded: body.replacingOccurrences(of: "\r\n", with: ""))!, as: UTF8.self)
            : PlainQuotedPrintable.decode(String(body.dropLast())) ?? ""
        #expect(decoded.replacingOccurrences(of: "\r\n", with: "\n") == text)
    }
}
