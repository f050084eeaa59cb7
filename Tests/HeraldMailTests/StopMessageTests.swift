import HeraldBase
import HeraldMail
import Testing

@Suite struct StopMessageTests {
    @Test func theFailureLineNeverShowsTheServersPassword() {
        let stop = DigestSender.Stop.deadServer(
            url: "smtp://weekly:S3cret@mail.example.org:587", failures: 3, detail: "Couldn't connect to server")
        #expect(!stop.description.contains("S3cret"))
        #expect(stop.description.hasPrefix("gave up on the SMTP server smtp://***@mail.example.org:587 after 3 failed"))
    }

    @Test func everyRelayDownNamesEachRelayAndIsUnavailable() {
        let stop = DigestSender.Stop.deadRelays(
            urls: ["smtp://a.example.org:587", "smtp://u:S3cret@b.example.org:587"], failures: 3, detail: "Couldn't connect to server")
        #expect(
            stop.description
                == "gave up on every SMTP relay (smtp://a.example.org:587, smtp://***@b.example.org:587) after 3 failed connections "
                + "in a row on each (last: Couldn't connect to server); every delivery not sent stays pending for the next run")
        #expect(stop.exitStatus == .unavailable)
    }
}
