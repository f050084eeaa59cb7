import CCurl
import Foundation

/// One SMTP connection, kept open across messages: libcurl reuses the connection
/// of an easy handle for the next transfer, so each message costs MAIL, RCPT,
/// DATA and the body, not a new TCP + TLS + AUTH handshake.
package final class SMTPConnection {
    private let curl: CurlEasy

    /// Everything a connection needs, resolved and checked once per run.
    package struct Options: Sendable {
        var url: String
        var useSSL: Int // CURLUSESSL_*
        var username: String?
        var password: String?
        /// PEM: the system bundle plus `smtp.ca_file`, when one is given.
        var caBundle: [UInt8]?
        /// Seconds to wait for the TCP connection, the greeting and the reply to each command.
        var replyTimeout: Int
        /// Seconds to wait for the reply to the final "." (the server may be scanning the message).
        var finalReplyTimeout: Int
    }

    package init(_ options: Options) throws(CurlEasy.Failure) {
        curl = try CurlEasy()
        try curl.set(CURLOPT_URL, options.url)
        try curl.set(CURLOPT_UPLOAD, 1)
        try curl.set(CURLOPT_USE_SSL, options.useSSL)
        try curl.setTimeouts(reply: options.replyTimeout, finalReply: options.finalReplyTimeout)
        if let user = options.username { try curl.set(CURLOPT_USERNAME, user) }
        if let password = options.password { try curl.set(CURLOPT_PASSWORD, password) }
        if let bundle = options.caBundle { try curl.setBlob(CURLOPT_CAINFO_BLOB, bundle) }
    }

    /// libcurl's built-in CA bundle path, so `smtp.ca_file` can add to it rather than replace it.
    static func defaultCABundlePath() -> String? {
        (try? CurlEasy())?.string(CURLINFO_CAINFO)
    }

    /// One SMTP transaction for one recipient. `beforeEnd` runs just before the end of
    /// the body goes out; returning false abandons the transaction before the server can
    /// have the message (the journal could not record that it is being sent).
    package func send(_ message: OutgoingMessage, beforeEnd: (() -> Bool)? = nil) -> SMTPReply {
        do {
            try curl.set(CURLOPT_MAIL_FROM, "<\(message.envelopeFrom)>")
            try curl.setRecipients(["<\(message.envelopeTo)>"])
            try curl.setBody(message.bytes)
        } catch {
            return SMTPReply(curlCode: error.code, curlError: error.message, code: 0, text: "", stage: .connect)
        }
        let r = curl.perform(beforeEnd: beforeEnd)
        // A failed transaction is never followed by MAIL on the same session.
        if r.code != CURLE_OK.rawValue { curl.dropConnection() }
        return SMTPReply(
            curlCode: r.code, curlError: r.error, code: r.replyCode, text: r.replyText, stage: r.stage,
            bodyEnded: r.bodyEnded, answeredAfterBody: r.answeredAfterBody, timedOut: r.timedOut,
            connected: r.connected)
    }
}
