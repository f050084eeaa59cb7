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

    @Test func fourHundredsAndDropsBeforeTheEndOfTheBodyAreRetried() {
        #expect(reply(CURLE_SEND_ERROR, 451, .rcptTo).verdict == .temporary)
        #expect(reply(CURLE_RECV_ERROR, 354, .body).verdict == .temporary) // dropped mid-body
        #expect(reply(CURLE_RECV_ERROR, 250, .rcptTo).verdict == .temporary)
    }

    func afterBody(_ curl: CURLcode, _ code: Int, answered: Bool, timedOut: Bool = false) -> SMTPReply {
        SMTPReply(
            curlCode: curl.rawValue, curlError: "curl error", code: code, text: answered ? "\(code) x" : "", stage: .body,
            bodyEnded: true, answeredAfterBody: answered, timedOut: timedOut)
    }

    @Test func noAnswerAfterTheWholeBodyIsUncertainNotARetry() {
        #expect(afterBody(CURLE_ABORTED_BY_CALLBACK, 354, answered: false, timedOut: true).verdict == .uncertain)
        #expect(afterBody(CURLE_RECV_ERROR, 354, answered: false).verdict == .uncertain)
        #expect(afterBody(CURLE_WEIRD_SERVER_REPLY, 451, answered: true).verdict == .temporary)
        #expect(afterBody(CURLE_WEIRD_SERVER_REPLY, 554, answered: true).verdict == .permanent)
        #expect(
            afterBody(CURLE_ABORTED_BY_CALLBACK, 354, answered: false, timedOut: true).description
                == "timed out: no reply to the final \".\" (last reply: 354)")
    }

    @Test func failuresBeforeATransactionAreConnectionFailures() {
        #expect(reply(CURLE_COULDNT_CONNECT, 0, .connect).verdict == .connectionFailed)
        #expect(reply(CURLE_GOT_NOTHING, 0, .connect).verdict == .connectionFailed)
        #expect(reply(CURLE_OPERATION_TIMEDOUT, 220, .greeting).verdict == .connectionFailed)
        #expect(reply(CURLE_SEND_ERROR, 421, .mailFrom).verdict == .connectionFailed)
        #expect(reply(CURLE_RECV_ERROR, 250, .mailFrom).verdict == .connectionFailed) // no answer to MAIL
        #expect(reply(CURLE_SEND_ERROR, 451, .mailFrom).verdict == .temporary)
        let silent = SMTPReply(
            curlCode: CURLE_ABORTED_BY_CALLBACK.rawValue, curlError: "Callback aborted", code: 0, text: "",
            stage: .connect, timedOut: true, connected: true)
        #expect(silent.verdict == .connectionFailed && silent.whatFailed == "no greeting")
    }

    @Test func problemsOfTheWholeRunStopIt() {
        #expect(reply(CURLE_LOGIN_DENIED, 535, .auth).verdict == .stopRun(.authentication))
        #expect(reply(CURLE_PEER_FAILED_VERIFICATION, 0, .startTLS).verdict == .stopRun(.tls))
        #expect(reply(CURLE_SEND_ERROR, 553, .mailFrom).verdict == .stopRun(.senderRefused))
        #expect(reply(CURLE_SEND_ERROR, 530, .mailFrom).verdict == .stopRun(.authenticationRequired))
        #expect(reply(CURLE_SEND_ERROR, 503, .mailFrom).verdict == .stopRun(.outOfSequence))
    }

    @Test func descriptionKeepsTheServersWords() {
        #expect(reply(CURLE_OK, 250, .body, "250 2.0.0 queued").description == "250 2.0.0 queued")
        #expect(reply(CURLE_SEND_ERROR, 550, .rcptTo, "550 5.1.1 unknown").description == "550 5.1.1 unknown (curl error)")
        #expect(reply(CURLE_RECV_ERROR, 354, .body, "354 go ahead").description == "curl error (last reply: 354 go ahead)")
    }
}
