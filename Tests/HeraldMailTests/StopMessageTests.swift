import HeraldMail
import Testing

@Suite struct StopMessageTests {
    @Test func theFailureLineNeverShowsTheServersPassword() {
        let stop = DigestSender.Stop.deadServer(
            url: "smtp://weekly:S3cret@mail.example.org:587", failures: 3, detail: "Couldn't connect to server")
        #expect(!stop.description.contains("S3cret"))
        #expect(stop.description.hasPrefix("gave up on the SMTP server smtp://***@mail.example.org:587 after 3 failed"))
    }
}
