import Foundation
import HeraldBase
import HeraldConfig
import HeraldState

/// One plain-text message (a single `text/plain` part) to one address through the
/// publication's SMTP settings: the confirmation mail of a subscribe request. Not journaled (a lost one is asked
/// for again); blocking (libcurl), so callers run it off their event loop.
public struct NoticeMailer: Sendable {
    let publication: Publication
    let relays: [SMTPConnection.Options]
    let from: Mailbox

    /// Checks `smtp:` and `digest.from` now, so `herald serve` refuses to start without them.
    public init(publication: Publication, environment: [String: String] = ProcessInfo.processInfo.environment) throws(Failure) {
        self.publication = publication
        do {
            relays = try publication.smtp.relayOptions(environment: environment, baseDirectory: publication.directory)
        } catch {
            throw Failure(.config, "\(publication.configPath): \(error.description)")
        }
        guard let configured = publication.digest.from else {
            throw Failure(.config, "\(publication.configPath): digest.from is not set: confirmation mails need a From address")
        }
        from = configured
    }

    /// Sent as the digest is: its From, its Reply-To; to the name the reader gave, if any.
    public func send(
        to address: EmailAddress, name: SubscriberName? = nil, subject: String, text: String, now: Date = Date()
    ) throws(Failure) {
        let to = address.ascii
        let messageID = "<notice.\(NoticeNonce.next())@\(from.address.domain)>"
        var message = MIMEMessage()
        message.addTokens("From", HeaderEncoding.mailbox(name: from.name ?? publication.title, address: from.address.ascii))
        message.addTokens("To", HeaderEncoding.mailbox(name: name?.description, address: to))
        message.addText("Subject", subject)
        message.addTokens("Date", [InternetDates.rfc822(now, offset: publication.timeZone.secondsFromGMT(for: now))])
        message.addTokens("Message-ID", [messageID])
        message.addTokens("MIME-Version", ["1.0"])
        if let replyTo = publication.digest.replyTo {
            message.addTokens("Reply-To", HeaderEncoding.mailbox(name: replyTo.name, address: replyTo.address.ascii))
        }
        message.addTokens("Auto-Submitted", ["auto-generated"])
        let bytes = message.bytes(plain: text)
        let outgoing = OutgoingMessage(envelopeFrom: from.address.ascii, envelopeTo: to, messageID: messageID, bytes: bytes)
        var reply: SMTPReply? = nil
        // The next relay only when one could not be reached: no transaction began there.
        for relay in relays where reply == nil || reply?.verdict == .connectionFailed {
            do { reply = try SMTPConnection(relay).send(outgoing) } catch { throw Failure(.config, error.description) }
        }
        guard let reply, reply.verdict == SMTPReply.Verdict.accepted else {
            throw Failure(.config, "SMTP: \(reply?.description ?? "no relay")")
        }
    }
}

/// Unique Message-ID parts without a clock or a counter shared between processes.
enum NoticeNonce {
    static func next() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(generator.next(), radix: 36) + String(generator.next(), radix: 36)
    }
}
