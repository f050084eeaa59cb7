import Foundation
import HeraldBase
import HeraldConfig
import HeraldContent
import HeraldDigest
import HeraldMail
import HeraldState
import HeraldTestSupport
import Testing

@Suite struct DigestComposerTests {
    let dir: TempDir
    let publication: Publication

    init() throws {
        dir = try TempDir()
        publication = try DigestFixtures.publication(dir)
    }

    @Test func messageIsWellFormedMultipartAlternative() throws {
        let message = try DigestFixtures.composer(publication).message(for: DigestFixtures.subscriber)
        let raw = message.bytes
        // CRLF only, and no line over 998 octets.
        for (i, byte) in raw.enumerated() where byte == 0x0A { #expect(i > 0 && raw[i - 1] == 0x0D) }
        let lines = String(decoding: raw, as: UTF8.self).components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 998 })
        #expect(raw.allSatisfy { $0 < 0x80 })

        let parsed = MessageParts(raw)
        #expect(
            parsed.fields.map(\.name) == [
                "From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "List-Id", "List-Unsubscribe",
                "List-Unsubscribe-Post", "Reply-To", "Precedence", "Auto-Submitted", "Content-Type",
            ])
        #expect(parsed.parts.map(\.type) == ["text/plain", "text/html"])
        #expect(parsed.parts.allSatisfy { !$0.text.contains(parsed.boundary) })
        #expect(parsed.value("Date") == "Fri, 14 Mar 2025 12:00:00 +0800")
        #expect(parsed.value("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click")
        #expect(parsed.value("Message-ID") == message.messageID)
        #expect(message.envelopeFrom == "weekly@example.org")
        #expect(message.envelopeTo == "reader@example.com")
    }

    @Test func subjectComesFromTheTemplateAndDecodesToIt() throws {
        let composer = try DigestFixtures.composer(publication)
        #expect(composer.subject == "社区周报 第 3 期")
        let parsed = MessageParts(composer.message(for: DigestFixtures.subscriber).bytes)
        let words = parsed.value("Subject")!.split(separator: " ").map(String.init)
        #expect(PlainEncodedWords.decode(words) == "社区周报 第 3 期")
    }

    @Test func titleWithCRLFCannotInjectAHeader() throws {
        let yaml = DigestFixtures.yaml.replacingOccurrences(
            of: "subject: \"{{publication.title}} 第 {{digest.number}} 期\"",
            with: "subject: \"{{#posts}}{{title}}{{/posts}}\"")
        let pub = try DigestFixtures.publication(dir, yaml: yaml)
        let evil = DigestFixtures.post(title: "Hello\r\nBcc: evil@x\r\n\r\nbody")
        let hostile = Subscriber(id: 2, address: "reader@example.com", name: "Eve\r\nBcc: evil@x")
        let raw = String(decoding: try DigestFixtures.composer(pub, posts: [evil]).message(for: hostile).bytes, as: UTF8.self)
        let head = raw[..<raw.range(of: "\r\n\r\n")!.lowerBound]
        #expect(!head.components(separatedBy: "\r\n").contains { $0.lowercased().hasPrefix("bcc") })
        #expect(head.contains("Subject: Hello Bcc: evil@x body"))
        // An address with a line break never becomes a Subscriber: `EmailAddress` refuses it (EmailAddressTests).
    }

    @Test func sameDigestAndRecipientGiveTheSameBytes() throws {
        let first = try DigestFixtures.composer(publication).message(for: DigestFixtures.subscriber)
        let again = try DigestFixtures.composer(publication).message(for: DigestFixtures.subscriber)
        let other = try DigestFixtures.composer(publication).message(for: Subscriber(id: 2, address: "other@example.com", name: nil))
        let nextIssue = try DigestFixtures.composer(publication, number: 4).message(for: DigestFixtures.subscriber)
        #expect(first.bytes == again.bytes)
        #expect(first.messageID != other.messageID)
        #expect(first.messageID != nextIssue.messageID)
        #expect(MessageParts(first.bytes).boundary != MessageParts(other.bytes).boundary)
    }

    @Test func unsubscribeLinksCarryTheSubscriptionsOpaqueToken() throws {
        let parsed = MessageParts(try DigestFixtures.composer(publication).message(for: DigestFixtures.subscriber).bytes)
        let header = parsed.value("List-Unsubscribe")!
        let token = DigestFixtures.subscriber.unsubscribeToken!
        #expect(header.hasPrefix("<https://weekly.example.org/unsubscribe?token=\(token)>"))
        #expect(header.contains(", <mailto:unsubscribe@example.org?subject=unsubscribe%20\(token)>"))
        #expect(!header.contains("reader"))
        #expect(parsed.parts[1].text.contains("token=\(token)"))
        #expect(parsed.parts[0].text.contains("token=\(token)"))
    }

    @Test func mailtoOnlyHasNoOneClickHeader() throws {
        let yaml = DigestFixtures.yaml.replacingOccurrences(of: "  unsubscribe_url: https://weekly.example.org/unsubscribe\n", with: "")
        let parsed = MessageParts(
            try DigestFixtures.composer(try DigestFixtures.publication(dir, yaml: yaml))
                .message(for: DigestFixtures.subscriber).bytes)
        #expect(parsed.value("List-Unsubscribe")?.hasPrefix("<mailto:") == true)
        #expect(parsed.value("List-Unsubscribe-Post") == nil)
    }

    @Test func sendingRefusesWithoutFrom() throws {
        let noFrom = DigestFixtures.yaml.replacingOccurrences(of: "  from: \"社区周报 <weekly@example.org>\"\n", with: "")
        #expect(throws: DigestError.missingFrom) { try DigestFixtures.composer(try DigestFixtures.publication(dir, yaml: noFrom)) }
    }

    @Test func withoutAnUnsubscribeSettingTheLinkIsHeraldServesRoute() throws {
        let yaml = DigestFixtures.yaml.replacingOccurrences(of: "  unsubscribe_url: https://weekly.example.org/unsubscribe\n", with: "")
            .replacingOccurrences(of: "  unsubscribe_mailto: unsubscribe@example.org\n", with: "")
        let parsed = MessageParts(
            try DigestFixtures.composer(try DigestFixtures.publication(dir, yaml: yaml))
                .message(for: DigestFixtures.subscriber).bytes)
        #expect(
            parsed.value("List-Unsubscribe")
                == "<https://weekly.example.org/unsubscribe?token=\(DigestFixtures.subscriber.unsubscribeToken!)>")
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment[UnsubscribeSecret.environmentVariable] == nil))
    func sendingRefusesWithoutASecret() throws {
        #expect(throws: DigestError.unsubscribeSecret(.missing)) {
            try DigestComposer(
                publication: publication, posts: [DigestFixtures.post()], number: 1,
                date: DigestFixtures.date, templatesDirectory: DigestFixtures.templates)
        }
    }

    @Test func previewSecretWorksWithoutFromAndSaysSo() throws {
        let minimal = "title: Weekly\nbase_url: https://weekly.example.org/\n"
        let composer = try DigestFixtures.composer(try DigestFixtures.publication(dir, yaml: minimal), secret: .preview)
        let parsed = MessageParts(composer.message(for: DigestFixtures.subscriber).bytes)
        #expect(parsed.value("X-Herald-Preview") != nil)
        #expect(parsed.value("From") == "Weekly <preview@weekly.example.org>")
        // Without list_id the List-Id is derived from the folder name and the base URL's host.
        let listID = parsed.value("List-Id")!
        #expect(listID.hasPrefix("Weekly <herald-test-") && listID.hasSuffix(".weekly.example.org>"))
    }

    @Test func summaryDigestLinksToThePostInsteadOfQuotingIt() throws {
        let yaml = DigestFixtures.yaml.replacingOccurrences(of: "content: full", with: "content: summary")
        let composer = try DigestFixtures.composer(try DigestFixtures.publication(dir, yaml: yaml))
        let text = composer.plainText(for: DigestFixtures.subscriber)
        let html = composer.previewHTML(for: DigestFixtures.subscriber)
        #expect(text.contains("本周精选问答，同步开源进展。"))
        #expect(text.contains("阅读全文：https://weekly.example.org/posts/weekly-1/"))
        #expect(!text.contains("[1] https://weekly.example.org/img/a.png"))
        #expect(html.contains("阅读全文"))
        #expect(!html.contains("<strong>精选</strong>"))
    }

    @Test func englishPublicationGetsEnglishDatesAndLabels() throws {
        let yaml = DigestFixtures.yaml.replacingOccurrences(of: "language: zh-CN", with: "language: en")
            .replacingOccurrences(of: "timezone: Asia/Shanghai", with: "timezone: Europe/London")
        let composer = try DigestFixtures.composer(try DigestFixtures.publication(dir, yaml: yaml))
        let text = composer.plainText(for: DigestFixtures.subscriber)
        #expect(text.contains("Issue #3 · 14 March 2025"))
        #expect(text.contains("13 March 2025"))
        #expect(try composer.previewHTML(for: DigestFixtures.subscriber).contains(">Unsubscribe</a>"))
    }

    /// Taiwan, Hong Kong and Macau read Traditional Chinese: templates/labels/zh-Hant.yml, full-width
    /// punctuation; a language without a table gets English.
    @Test(arguments: [
        ("zh-TW", "\n取消訂閱：\n", ">取消訂閱</a>"), ("zh-Hant-HK", "\n取消訂閱：\n", ">取消訂閱</a>"),
        ("de-DE", "\nUnsubscribe:\n", ">Unsubscribe</a>"),
    ])
    func labelsFollowTheLanguage(language: String, textLine: String, unsubscribe: String) throws {
        let yaml = DigestFixtures.yaml.replacingOccurrences(of: "language: zh-CN", with: "language: \(language)")
        let composer = try DigestFixtures.composer(try DigestFixtures.publication(dir, yaml: yaml))
        #expect(composer.plainText(for: DigestFixtures.subscriber).contains(textLine))
        #expect(try composer.previewHTML(for: DigestFixtures.subscriber).contains(unsubscribe))
    }

    @Test func noPostsNoDigest() throws {
        #expect(throws: DigestError.noPosts) { try DigestFixtures.composer(publication, posts: []) }
    }

    @Test func plainTextStaysWithin78ColumnsCountingWideCharactersAsTwo() throws {
        let longTitle = String(repeating: "社区会议预告与回顾、", count: 12)
        let longSummary = String(repeating: "每周精选问答，同步开源进展，欢迎留言互动。Layotto and SOFAArk community meetings. ", count: 6)
        let yaml = DigestFixtures.yaml.replacingOccurrences(of: "content: full", with: "content: summary")
        let composer = try DigestFixtures.composer(
            try DigestFixtures.publication(dir, yaml: yaml),
            posts: [DigestFixtures.post(title: longTitle, summary: longSummary)])
        let text = composer.plainText(for: DigestFixtures.subscriber)
        for line in text.split(separator: "\n") where !line.hasPrefix("https://") {
            #expect(DisplayWidth.of(line) <= 78, "\(line)")
        }
        #expect(text.contains("社区会议预告"))
    }
}
