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

    public enum Verdict: Sendable, Equatable {
        /// 2xx after the message: the server took responsibility for it.
        case accepted
        /// 4xx, timeout or dropped connection: try this recipient again later.
        case temporary
        /// 5xx for this recipient or message: never retry.
        case permanent
        /// Nothing can be sent on this run (wrong password, bad certificate, sender refused,
        /// server unreachable): stop and leave the deliveries pending.
        case stopRun(RunProblem)
    }

    public enum RunProblem: Sendable, Equatable {
        case unreachable, authentication, tls, senderRefused, configuration
    }

    /// For the journal's `last_reply`: the server's words, and libcurl's when the transfer failed.
    public var description: String {
        let server = text.isEmpty ? (code > 0 ? "\(code)" : "") : text
        if curlCode == 0 { return server }
        if server.isEmpty { return curlError }
        // A reply code that explains the failure comes first; otherwise it is only the last thing heard.
        return code >= 400 ? "\(server) (\(curlError))" : "\(curlError) (last reply: \(server))"
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
        switch result {
        case CURLE_LOGIN_DENIED: return .stopRun(.authentication)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_USE_SSL_FAILED,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM:
            return .stopRun(.tls)
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT: return .stopRun(.configuration)
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST: return .stopRun(.unreachable)
        default: break
        }
        switch (code / 100, stage) {
        case (5, .auth), (5, .other): return .stopRun(.authentication)
        case (5, .mailFrom): return .stopRun(.senderRefused)
        case (5, .rcptTo), (5, .data), (5, .body): return .permanent
        default: return .temporary  // 4xx anywhere, timeouts, a connection dropped mid-DATA
        }
    }
}
