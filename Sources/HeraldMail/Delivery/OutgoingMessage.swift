/// One finished message for one recipient: what the digest renders and the mailer sends.
public struct OutgoingMessage: Sendable {
    /// Envelope sender (MAIL FROM), a bare address, domain in ASCII (`xn--`) form.
    public let envelopeFrom: String
    /// Envelope recipient (RCPT TO), a bare address, domain in ASCII (`xn--`) form.
    public let envelopeTo: String
    /// The Message-ID header's value, angle brackets included; deterministic per digest and recipient.
    public let messageID: String
    /// RFC 5322 bytes: CRLF line ends, lines ≤ 998 octets. Not dot-stuffed (libcurl does that).
    public let bytes: [UInt8]

    public init(envelopeFrom: String, envelopeTo: String, messageID: String, bytes: [UInt8]) {
        self.envelopeFrom = envelopeFrom
        self.envelopeTo = envelopeTo
        self.messageID = messageID
        self.bytes = bytes
    }
}
