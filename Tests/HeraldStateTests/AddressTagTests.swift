import Foundation
import HeraldBase
import HeraldState
import Testing

@Suite struct AddressTagTests {
    let tag = AddressTag(secret: try! UnsubscribeSecret("log-secret-0123456789abcdef"))

    @Test func oneAddressOneTagInAnyLetterCaseOfItsDomain() throws {
        let a = tag(try EmailAddress("ana@example.org"))
        #expect(a.count == 12 && a.allSatisfy(\.isHexDigit))
        #expect(tag(try EmailAddress("ana@EXAMPLE.org")) == a)
        #expect(tag(stored: "ana@example.org") == a)
        #expect(tag(try EmailAddress("bob@example.org")) != a)
    }

    @Test func anotherSecretGivesAnotherTag() throws {
        let other = AddressTag(secret: try UnsubscribeSecret("other-secret-0123456789abcdef"))
        #expect(other(try EmailAddress("ana@example.org")) != tag(try EmailAddress("ana@example.org")))
    }

    @Test func redactReplacesTheAddressAsAServerQuotesIt() throws {
        let address = try EmailAddress("Ana@example.org")
        let text = tag.redact("550 5.1.1 <ana@EXAMPLE.ORG>: Recipient address rejected", address)
        #expect(!text.lowercased().contains("ana@example.org"))
        #expect(text.contains("subscriber \(tag(address))"))
    }
}
