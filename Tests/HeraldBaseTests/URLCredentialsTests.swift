import HeraldBase
import Testing

@Suite struct URLCredentialsTests {
    @Test func userInfoOfEveryURLInATextIsMasked() {
        #expect(URLCredentials.redacted("smtp://user:pa55@mail.example.org:587") == "smtp://***@mail.example.org:587")
        #expect(
            URLCredentials.redacted("gave up on smtps://a%40b:p@ss@x.org/ and \"https://u@h.example/?q=a@b\"")
                == "gave up on smtps://***@x.org/ and \"https://***@h.example/?q=a@b\"")
        #expect(URLCredentials.redacted("smtp://mail.example.org:587, mailto:a@b.org") == "smtp://mail.example.org:587, mailto:a@b.org")
        #expect(URLCredentials.hasUserInfo("smtp://user@host") && !URLCredentials.hasUserInfo("smtp://host"))
    }
}
