import CCurl
import Testing
@testable import HeraldMail

@Suite struct SMTPReplyTests {
    func reply(_ curl: CURLcode, _ code: Int, _ stage: SMTPStage, _ text: String = "") -> SMTPReply {
        SMTPReply(curlCode: curl.rawValue, curlError: curl == CURLE_OK ? "" : "curl error", code: code, text: text, stage: stage)
    }

    @Test func acceptedOnlyAfterA2xx() {
        #expect(reply(CURLE_OK, 250, .body, "250 OK").verdict == .accepted)
        #expect(reply(CURLE_OK, 0, .body).verdict == .temporary)
    }

    @Test func fiveHundredsFailTheRecipientOnly() {
        #expect(reply(CURLE_SEND_ERROR, 550, .rcptTo, "550 no such user").verdict == .permanent)
        #expect(reply(CURLE_SEND_ERROR, 554, .body, "554 rejected").verdict == .permanent)
    }

    @Test func onlyBadAddressRefusalsBounce() {
        #expect(reply(CURLE_SEND_ERROR, 550, .rcptTo, "550 5.1.1 <x@y>: user unknown").isBadMailbox)
        #expect(!reply(CURLE_SEND_ERROR, 552, .rcptTo, "552 5.2.2 mailbox full").isBadMailbox)
        #expect(!reply(CURLE_SEND_ERROR, 554, .body, "554 5.1.1 odd but after DATA").isBadMailbox)
        #expect(!reply(CURLE_SEND_ERROR, 450, .rcptTo, "450 4.1.1 try later").isBadMailbox)
    }

    @Test func fourHundredsAndDroppedConnectionsAreRetried() {
        #expect(reply(CURLE_SEND_ERROR, 451, .rcptTo).verdict == .temporary)
        #expect(reply(CURLE_SEND_ERROR, 421, .mailFrom).verdict == .temporary)
        #expect(reply(CURLE_RECV_ERROR, 354, .body).verdict == .temporary)  // dropped after DATA
        #expect(reply(CURLE_OPERATION_TIMEDOUT, 0, .body).verdict == .temporary)
        #expect(reply(CURLE_GOT_NOTHING, 0, .connect).verdict == .temporary)
    }

    @Test func problemsOfTheWholeRunStopIt() {
        #expect(reply(CURLE_LOGIN_DENIED, 535, .auth).verdict == .stopRun(.authentication))
        #expect(reply(CURLE_PEER_FAILED_VERIFICATION, 0, .startTLS).verdict == .stopRun(.tls))
        #expect(reply(CURLE_COULDNT_CONNECT, 0, .connect).verdict == .stopRun(.unreachable))
        #expect(reply(CURLE_SEND_ERROR, 553, .mailFrom).verdict == .stopRun(.senderRefused))
    }

    @Test func descriptionKeepsTheServersWords() {
        #expect(reply(CURLE_OK, 250, .body, "250 2.0.0 queued").description == "250 2.0.0 queued")
        #expect(reply(CURLE_SEND_ERROR, 550, .rcptTo, "550 5.1.1 unknown").description == "550 5.1.1 unknown (curl error)")
        #expect(reply(CURLE_RECV_ERROR, 354, .body, "354 go ahead").description == "curl error (last reply: 354 go ahead)")
    }
}
