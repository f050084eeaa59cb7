import Foundation
import HeraldBase

/// `digest:` in herald.yml, every value checked when it is read.
public struct DigestSettings: Sendable {
    public enum Content: String, Sendable, CaseIterable { case summary, full }

    public var content: Content = .summary
    /// Window of the very first digest, in days.
    public var firstWindowDays: Int = 7
    /// Mustache template for the Subject header.
    public var subject: String = "{{publication.title}} #{{digest.number}}"
    /// `weekly Fri 15:00`, `daily 08:00` or `manual`, in the publication's time zone.
    public var schedule: DigestSchedule
    /// From: (required to send; preview works without it).
    public var from: Mailbox?
    public var replyTo: Mailbox?
    /// List-Id value, e.g. `weekly.example.org`.
    public var listID: String?
    /// Unsubscribe endpoint; the subscriber's token replaces `{token}` in it, or is
    /// appended as `?token=…`. An https URL enables RFC 8058 one-click unsubscribe.
    public var unsubscribeURL: String?
    /// Address that unsubscribes by mail; the token goes in the subject.
    public var unsubscribeMailto: EmailAddress?
    /// File holding the secret that signs unsubscribe tokens, relative to the
    /// publication folder; `HERALD_UNSUBSCRIBE_SECRET` takes precedence.
    public var unsubscribeSecretFile: String?
    /// Envelope sender with the subscriber's token (VERP); nil: MAIL FROM is `from`.
    public var bounceAddress: BounceAddress?
    /// Soft bounces (4.x.x, delayed) that mark a subscriber bounced, within `softBounceDays`.
    public var softBounceLimit: Int = 3
    public var softBounceDays: Int = 14

    /// With the List-Unsubscribe header's token, the line must stay under 998 octets.
    static let maxUnsubscribeURL = 500

    public init(timeZone: TimeZone) {
        schedule = DigestSchedule(kind: .manual, timeZone: timeZone)
    }

    init(yaml: YAMLMapping?, timeZone: TimeZone, log: ProblemLog) {
        self.init(timeZone: timeZone)
        guard var yaml else { return }
        content = log.attempt { try yaml.choice("content", Content.self) } ?? content
        firstWindowDays = log.attempt { try yaml.int("first_window", in: 1...3650) } ?? firstWindowDays
        subject = log.attempt { try yaml.string("subject") } ?? subject
        schedule =
            log.attempt { () throws(SourceProblem) in
                try yaml.value("schedule") { text throws(ConfigValueError) in try Self.schedule(text, timeZone) }
            } ?? schedule
        from = log.attempt { try yaml.value("from", Self.mailbox) }
        replyTo = log.attempt { try yaml.value("reply_to", Self.mailbox) }
        listID = log.attempt { try yaml.value("list_id", Self.listID) }
        unsubscribeURL = log.attempt { try yaml.value("unsubscribe_url", Self.unsubscribeURL) }
        unsubscribeMailto = log.attempt { () throws(SourceProblem) in
            try yaml.value("unsubscribe_mailto", Self.address)
        }
        unsubscribeSecretFile = log.attempt { try yaml.string("unsubscribe_secret_file") }
        bounceAddress = log.attempt { () throws(SourceProblem) in
            try yaml.value("bounce_address") { text throws(ConfigValueError) in try BounceAddress(text) }
        }
        softBounceLimit = log.attempt { try yaml.int("soft_bounce_limit", in: 1...100) } ?? softBounceLimit
        softBounceDays = log.attempt { try yaml.int("soft_bounce_days", in: 1...365) } ?? softBounceDays
        yaml.unknownKeys().forEach(log.add)
    }

    private static func schedule(_ text: String, _ timeZone: TimeZone) throws(ConfigValueError) -> DigestSchedule {
        do { return try DigestSchedule(text, timeZone: timeZone) } catch {
            throw ConfigValueError("\(text.debugDescription): \(error.reason)")
        }
    }

    private static func address(_ text: String) throws(ConfigValueError) -> EmailAddress {
        do { return try EmailAddress(text) } catch { throw ConfigValueError(error.description) }
    }

    private static func mailbox(_ text: String) throws(ConfigValueError) -> Mailbox {
        do { return try Mailbox(text) } catch { throw ConfigValueError(error.description) }
    }

    /// RFC 2919: a dot-atom, optionally in angle brackets.
    private static func listID(_ text: String) throws(ConfigValueError) -> String {
        let id = text.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "<>"))
        let atext = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~")
        guard !id.isEmpty,
            id.split(separator: ".", omittingEmptySubsequences: false).allSatisfy({ part in
                !part.isEmpty && part.unicodeScalars.allSatisfy(atext.contains)
            })
        else {
            throw ConfigValueError("\(text.debugDescription) is not a list id such as weekly.example.org (RFC 2919)")
        }
        return id
    }

    private static func unsubscribeURL(_ url: String) throws(ConfigValueError) -> String {
        guard let parsed = URL(string: url), let scheme = parsed.scheme, ["https", "http"].contains(scheme),
            parsed.host != nil, url.utf8.count <= maxUnsubscribeURL,
            !url.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\"" })
        else {
            throw ConfigValueError(
                "must be an absolute https URL of at most \(maxUnsubscribeURL) characters, "
                    + "such as https://example.org/unsubscribe, not \(URLCredentials.redacted(url).debugDescription)")
        }
        return url
    }
}
