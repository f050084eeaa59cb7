import HeraldTestSupport
import Testing

@testable import HeraldBase

@Suite struct EmailAddressTests {
    @Test(arguments: [
        ("Alice@EXAMPLE.com", "Alice@example.com"),
        ("first.last+tag@Sub.Example.ORG", "first.last+tag@sub.example.org"),
        ("  padded@example.com ", "padded@example.com"),
        ("ana@Bücher.Example", "ana@bücher.example"),
        ("info@例子.广告", "info@例子.广告"),
        ("o'brien@example.ie", "o'brien@example.ie"),
    ])
    func acceptsAndNormalizes(input: String, normalized: String) throws {
        #expect(try EmailAddress(input).description == normalized)
    }

    @Test(arguments: [
        ("not-an-address", "no @"),
        ("@example.com", "local part"),
        ("bob@", "domain is empty"),
        ("a..b@example.com", "empty part between dots"),
        (".a@example.com", "empty part between dots"),
        ("a b@example.com", "not allowed in the local part"),
        ("a@localhost", "no dot"),
        ("a@-bad.example", "hyphen"),
        ("a@exa_mple.com", "not allowed in a domain"),
        ("a@example..com", "empty label"),
        ("a@example.123", "numeric"),
        ("\"john doe\"@example.com", "quoted local parts"),
        ("x@[192.0.2.1]", "address literals"),
        ("用户@例子.广告", "SMTPUTF8"),
        (String(repeating: "x", count: 65) + "@example.com", "64 octets"),
        ("a@" + String(repeating: "l", count: 64) + ".com", "63 octets"),
    ])
    func rejectsWithAReason(input: String, reason: String) {
        #expect {
            try EmailAddress(input)
        } throws: { error in
            let description = "\(error)"
            return description.contains(reason) && description.contains("is not a valid address")
        }
    }

    @Test(arguments: [
        ("bücher.example", "xn--bcher-kva.example"),
        ("München.DE", "xn--mnchen-3ya.de"),
        ("пример.рф", "xn--e1afmkfd.xn--p1ai"),
        ("ドメイン名例.jp", "xn--eckwd4c7cu47r2wf.jp"),
        ("例子。中国", "xn--fsqu00a.xn--fiqs8s"),
        ("ＥＸＡＭＰＬＥ.org", "example.org"),
        ("plain.example", "plain.example"),
    ])
    func domainsGoOutInTheirASCIIForm(unicode: String, ascii: String) throws {
        let address = try EmailAddress("Reader@" + unicode)
        #expect(address.domain == ascii)
        #expect(address.ascii == "Reader@" + ascii)
    }

    /// The case one address type is for: one person, three spellings, one subscriber.
    @Test func oneSubscriberWhateverTheSpelling() throws {
        let spellings = try ["A@Bücher.example", "a@xn--bcher-kva.example", "a@bücher.example"].map { try EmailAddress($0) }
        #expect(Set(spellings).count == 1)
        #expect(spellings.map { $0.key } == Array(repeating: "a@xn--bcher-kva.example", count: 3))
        #expect(spellings[0].localPart == "A")
        #expect(spellings[1].description == "a@bücher.example")
    }

    @Test func controlCharactersAndHeaderInjectionAreRefused() {
        for input in ["a@b.org\r\nBcc: evil@x.org", "a\u{85}b@c.org", "<a@b.org>", "a\tb@c.org"] {
            #expect(throws: EmailAddress.Invalid.self) { try EmailAddress(input) }
        }
    }

    @Test func mailboxSplitsNameAndAddress() throws {
        let box = try Mailbox("\"社区周报\" <weekly@example.org>")
        #expect(box.name == "社区周报")
        #expect(box.address.description == "weekly@example.org")
        #expect(try Mailbox("weekly@example.org").name == nil)
        #expect(throws: EmailAddress.Invalid.self) { try Mailbox("Weekly <weekly@>") }
    }

    /// The stored-address shortcut against the full parse: wherever it answers, it answers
    /// what the parse does; and it does answer for the plain addresses lists are made of.
    @Test func storedShortcutAgreesWithTheFullParse() {
        var generator = TestRandom.seeded("EmailAddressTests.storedShortcutAgreesWithTheFullParse")
        let plain = ["a", "z", "0", "9", "-", "_", "+", "example", "org", "123", "!", "~", "="]
        let odd = [
            ".", "..", "@", "xn--", "bücher", " ", "\t", "\"", "[", "]", "é", "Z", "EXAMPLE",
            String(repeating: "a", count: 63), String(repeating: "b", count: 64),
        ]
        var answered = 0
        for _ in 0..<20_000 {
            func some(_ range: ClosedRange<Int>) -> String {
                (0..<Int.random(in: range, using: &generator)).map { _ in
                    (Int.random(in: 0..<10, using: &generator) < 8 ? plain : odd).randomElement(using: &generator)!
                }.joined()
            }
            // Half shaped like an address (local@label.label), half anything.
            let text =
                Bool.random(using: &generator)
                ? some(1...3) + "@" + (0..<Int.random(in: 1...3, using: &generator)).map { _ in some(1...2) }.joined(separator: ".")
                : some(1...9)
            guard let fast = EmailAddress.plainStored(text) else { continue }
            answered += 1
            let full = try? EmailAddress(text)
            #expect(full != nil, "shortcut took \(text.debugDescription), the parse refuses it; \(generator.replay)")
            #expect(
                full.map { [$0.localPart, $0.domain, $0.unicodeDomain] } == [fast.localPart, fast.domain, fast.unicodeDomain],
                "\(text.debugDescription) \(generator.replay)")
        }
        #expect(answered > 100, "\(generator.replay)")
        for plain in ["reader42@example.com", "Ana.Lima+weekly@mail.example.org", "x@a-b.c0.io"] {
            #expect(EmailAddress.plainStored(plain)?.description == plain)
        }
        for other in [
            "a@bücher.example", "a@xn--bcher-kva.example", "a@Example.org", "a..b@c.org", "a@c.123", "a@-c.org",
            "a@c", ".a@c.org", "a@c.org.", "a@\(String(repeating: "b", count: 64)).org",
        ] {
            #expect(EmailAddress.plainStored(other) == nil, "\(other)")
        }
    }
}
