import CCurl

/// What happened to one message: libcurl's result and the server's last reply,
/// reduced to the one decision the sender needs (`verdict`).
public struct SMTPReply: Sendable, CustomStringConvertible {
    /// CURLcode (0 = CURLE_OK).
    public let curlCode: UInt32
    public let curlError: String
    /// CURLINFO_RESPONSE_CODE: the last reply code, 0 if the server never answered.
    public let code: Int
    /// The last reply line, e.g. `550 5.1.1 unknown user`; may be empty.
    public let text: String
    let stage: SMTPStage
    /// The whole body went out, so the final "." did (or was about to): the server may have the message.
    let bodyEnded: Bool
    /// The server answered after the body: the reply to the final ".".
    let answeredAfterBody: Bool
    /// Herald stopped waiting (`smtp.timeout`, or `smtp.data_timeout` after the body).
    let timedOut: Bool
    /// The TCP connection was up.
    let connected: Bool

    init(
        curlCode: UInt32, curlError: String, code: Int, text: String, stage: SMTPStage,
        bodyEnded: Bool = false, answeredAfterBody: Bool = false, timedOut: Bool = false, connected: Bool = true
    ) {
        self.curlCode = curlCode
        self.curlError = curlError
        self.code = code
        self.text = text
        self.stage = stage
        self.bodyEnded = bodyEnded
        self.answeredAfterBody = answeredAfterBody
        self.timedOut = timedOut
        self.connected = connected
    }

    public enum Verdict: Sendable, Equatable {
        /// 2xx after the message: the server took responsibility for it.
        case accepted
        /// 4xx, or a timeout or dropped connection before the end of the body: try again later.
        case temporary
        /// 5xx for this recipient or message: never retry.
        case permanent
        /// The body was sent and no answer to the final "." came (timeout, dropped
        /// connection): the server may have the message. Never retried on its own.
        case uncertain
        /// The connection failed before a transaction began (refused, no greeting, TLS
        /// handshake, timeout before MAIL, 421): says nothing about this recipient.
        case connectionFailed
        /// Nothing can be sent on this run (wrong password, bad certificate, sender refused):
        /// stop and leave the deliveries pending.
        case stopRun(RunProblem)
    }

    public enum RunProblem: Sendable, Equatable {
        case authentication, authenticationRequired, tls, senderRefused, outOfSequence, configuration
    }

    /// For the journal's `last_reply`: the server's words, and libcurl's (or the timeout) when the transfer failed.
    public var description: String {
        let server = text.isEmpty ? (code > 0 ? "\(code)" : "") : text
        if curlCode == 0 { return server }
        let failure = timedOut ? "timed out: \(whatFailed)" : curlError
        if server.isEmpty { return failure }
        // A reply code that explains the failure comes first; otherwise it is only the last thing heard.
        return code >= 400 ? "\(server) (\(failure))" : "\(failure) (last reply: \(server))"
    }

    /// What went wrong, in words: `no greeting`, `no reply to EHLO`, or libcurl's message.
    public var whatFailed: String {
        guard timedOut else { return code >= 400 && !text.isEmpty ? text : curlError }
        if stage == .connect { return connected ? "no greeting" : "no connection" }
        return bodyEnded ? "no reply to the final \".\"" : "no reply to \(stage.command)"
    }

    /// A refused recipient whose enhanced status code (RFC 3463) is 5.1.x, "bad
    /// destination mailbox address": the address itself is wrong (e.g. `550 5.1.1
    /// user unknown`), not a full mailbox or a policy, so later digests skip it.
    public var isBadMailbox: Bool {
        guard code / 100 == 5, stage == .rcptTo else { return false }
        let words = text.split(separator: " ", maxSplits: 2)
        return words.count >= 2 && words[1].hasPrefix("5.1.")
    }

    public var verdict: Verdict {
        let result = CURLcode(rawValue: curlCode)
        if result == CURLE_OK { return (200..<300).contains(code) ? .accepted : .temporary }
        if bodyEnded && !answeredAfterBody { return .uncertain }
        switch result {
        case CURLE_LOGIN_DENIED: return .stopRun(.authentication)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM: return .stopRun(.tls)
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT: return .stopRun(.configuration)
        default: break
        }
        if isConnectionFailure { return .connectionFailed }
        switch (code / 100, stage) {
        case (5, .auth), (5, .other): return .stopRun(.authentication)
        case (5, .mailFrom):
            // 530 and 503 at MAIL are about the session (log in first; a command missing
            // before MAIL), not about the sender address.
            if code == 530 { return .stopRun(.authenticationRequired) }
            if code == 503 { return .stopRun(.outOfSequence) }
            return .stopRun(.senderRefused)
        case (5, .rcptTo), (5, .data), (5, .body): return .permanent
        default: return .temporary // 4xx at RCPT or later, a connection dropped mid-transaction
        }
    }

    /// Failed before the transaction began: no TCP connection, no usable greeting, TLS
    /// handshake, a silence or drop before the server answered MAIL, or 421 anywhere.
    var isConnectionFailure: Bool {
        let result = CURLcode(rawValue: curlCode)
        guard result != CURLE_OK else { return false }
        if code == 421 { return true }
        switch result {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_SSL_CONNECT_ERROR, CURLE_USE_SSL_FAILED:
            return true
        default: break
        }
        switch stage {
        case .connect, .greeting, .startTLS: return true
        case .auth, .other: return code / 100 != 5
        case .mailFrom: return code < 400 // the last code heard is not the answer to MAIL
        case .rcptTo, .data, .body, .quit: return false
        }
    }
}
