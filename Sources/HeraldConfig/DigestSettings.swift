import HeraldBase
/// `digest:` in herald.yml.
public struct DigestSettings: Sendable {
    public enum Content: String, Sendable, CaseIterable { case summary, full }

    public var content: Content = .summary
    /// Window of the very first digest, in days.
    public var firstWindowDays: Int = 7
    /// Mustache template for the Subject header.
    public var subject: String = "{{publication.title}} #{{digest.number}}"
    /// `weekly Fri 15:00` or `manual`.
    public var schedule: String = "manual"
    /// From: address (required to send; preview works without it).
    public var from: String?
    public var replyTo: String?
    /// List-Id value, e.g. `weekly.example.org`.
    public var listID: String?
    /// Unsubscribe endpoint; the subscriber's token replaces `{token}` in it, or is
    /// appended as `?token=…`. An https URL enables RFC 8058 one-click unsubscribe.
    public var unsubscribeURL: String?
    /// Address that unsubscribes by mail; the token goes in the subject.
    public var unsubscribeMailto: String?
    /// File holding the secret that signs unsubscribe tokens, relative to the
    /// publication folder; `HERALD_UNSUBSCRIBE_SECRET` takes precedence.
    public var unsubscribeSecretFile: String?

    public init() {}

    init(yaml: inout YAMLMapping?) throws(SourceProblem) {
        guard var yaml else { return }
        content = try yaml.choice("content", Content.self) ?? content
        firstWindowDays = try yaml.int("first_window", in: 1...3650) ?? firstWindowDays
        subject = try yaml.string("subject") ?? subject
        schedule = try yaml.string("schedule") ?? schedule
        from = try yaml.string("from")
        replyTo = try yaml.string("reply_to")
        listID = try yaml.string("list_id")
        unsubscribeURL = try yaml.string("unsubscribe_url")
        unsubscribeMailto = try yaml.string("unsubscribe_mailto")
        unsubscribeSecretFile = try yaml.string("unsubscribe_secret_file")
        try yaml.rejectUnknownKeys(known: "digest")
    }
}
