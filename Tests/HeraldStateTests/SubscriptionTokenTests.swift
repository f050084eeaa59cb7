import HeraldState
import Testing

@Suite struct SubscriptionTokenTests {
    static let good = "0123456789abcdef0123456789abcdef"

    @Test func thirtyTwoLowerCaseHexDigitsAreAToken() throws {
        let token = try #require(SubscriptionToken(Self.good))
        #expect(token.description == Self.good)
        #expect(SubscriptionToken(Self.good[...]) == token)
        #expect(SubscriptionToken(String(repeating: "f", count: 32)) != nil)
    }

    @Test(arguments: [
        "",
        String(SubscriptionTokenTests.good.dropLast()), // 31
        SubscriptionTokenTests.good + "0", // 33
        SubscriptionTokenTests.good.uppercased(),
        "0123456789ABCDEF0123456789abcdef",
        "0123456789abcdeg0123456789abcdef", // g is no hex digit
        " 0123456789abcdef0123456789abcde",
        "0123456789abcdef0123456789abcde\n",
        "0123456789abcdef0123456789abcde\0",
        "0123456789abcdef0123456789abcdé", // 32 bytes, 31 characters
        "０１２３４５６７８９ａｂｃｄｅｆ０１２３４５６７８９ａｂｃｄｅｆ", // fullwidth digits
        "v1.cmVhZGVy.AAAA",
    ])
    func anythingElseIsRefused(_ text: String) {
        #expect(SubscriptionToken(text) == nil, "\(text.debugDescription)")
    }

    @Test func randomTokensAreWellFormedAndDistinct() {
        let tokens = (0..<1000).map { _ in SubscriptionToken.random() }
        #expect(Set(tokens).count == tokens.count)
        #expect(tokens.allSatisfy { SubscriptionToken($0.description) == $0 })
    }

    @Test func anUnsubscribeLinkCarriesATokenOrAV1Token() {
        #expect(UnsubscribeLinkToken(Self.good) == .current(SubscriptionToken(Self.good)!))
        #expect(UnsubscribeLinkToken("v1.cmVhZGVy.AAAA") == .legacy("v1.cmVhZGVy.AAAA"))
        #expect(UnsubscribeLinkToken("v1.cmVhZGVy.AAAA")?.description == "v1.cmVhZGVy.AAAA")
        for text in ["", Self.good.uppercased(), "v2.x.y", "abc123"] { #expect(UnsubscribeLinkToken(text) == nil, "\(text)") }
    }
}
