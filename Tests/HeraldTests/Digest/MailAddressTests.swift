import Foundation
import Testing
@testable import HeraldBase
@testable import HeraldContent
@testable import HeraldFeeds
@testable import HeraldState
@testable import HeraldMail
@testable import HeraldUseCases

@Suite struct MailAddressTests {
    @Test(arguments: ["a@b.org\r\nBcc: evil@x", "<a@b.org>", "no-at-sign", "a@", "@b.org", "a b@c.org", "a@b..org", "a\u{85}b@c.org"])
    func invalidAddressesAreRefused(_ address: String) {
        #expect(throws: DigestError.self) { try MailAddress.validated(address, role: "subscriber") }
    }

    @Test func configuredMailboxSplitsNameAndAddress() throws {
        let box = try MailAddress.mailbox("\"社区周报\" <weekly@example.org>", role: "digest.from")
        #expect(box.name == "社区周报")
        #expect(box.address == "weekly@example.org")
        #expect(try MailAddress.mailbox("weekly@example.org", role: "digest.from").name == nil)
    }

    // Vectors computed with Python's `str.encode("punycode")` and RFC 3492 §7.1 (Arabic).
    @Test(arguments: [("bücher", "bcher-kva"), ("中国", "fiqs8s"), ("例子", "fsqu00a"), ("münchen-ü", "mnchen--n2ag"),
                      ("ليهمابتكلموشعربي؟", "egbpdaj6bu4bxfgehfvwxn")])
    func punycodeMatchesReferenceVectors(_ input: String, _ expected: String) {
        #expect(Punycode.encode(input) == expected)
    }

    @Test func idnDomainsGoOutInTheirASCIIForm() throws {
        #expect(try MailAddress.validated("reader@例子。中国", role: "subscriber") == "reader@xn--fsqu00a.xn--fiqs8s")
        #expect(try MailAddress.validated("reader@Bücher.example", role: "subscriber") == "reader@xn--bcher-kva.example")
    }

    @Test func nonASCIILocalPartSaysWhy() {
        #expect(throws: DigestError.invalidAddress("读者@example.org", role: "subscriber",
                                                   reason: "a non-ASCII local part needs SMTPUTF8, which Herald does not send")) {
            try MailAddress.validated("读者@example.org", role: "subscriber")
        }
    }

    @Test func headersUseASCIIForAnIDNAddress() throws {
        let dir = try TempDir()
        let composer = try DigestFixtures.composer(try DigestFixtures.publication(dir))
        let message = try composer.message(for: Subscriber(id: 9, address: "reader@例子.中国", name: nil))
        #expect(message.envelopeTo == "reader@xn--fsqu00a.xn--fiqs8s")
        let parsed = MessageParts(message.bytes)
        #expect(parsed.value("To") == "reader@xn--fsqu00a.xn--fiqs8s")
        // The link names the subscription, not the address, in either form.
        #expect(!parsed.value("List-Unsubscribe")!.contains("reader"))
    }
}
