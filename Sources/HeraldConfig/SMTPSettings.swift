import HeraldBase
/// `smtp:` in herald.yml. The password is never here: it comes from
/// `HERALD_SMTP_PASSWORD`, `password_file`, or a systemd credential.
public struct SMTPSettings: Sendable {
    public enum StartTLS: String, Sendable, CaseIterable { case required, opportunistic, off }

    /// `smtp://host:port` or `smtps://host:port`; nil means sending is not configured.
    public var url: String?
    public var startTLS: StartTLS?
    public var username: String?
    public var passwordFile: String?
    /// Extra CA bundle to trust (tests use a self-signed certificate).
    public var caFile: String?
    public var connections: Int = 4
    /// Messages per second across all connections; 0 = no cap.
    public var rate: Int = 0
    public var retries: Int = 5
    public var timeoutSeconds: Int = 30
    /// Seconds before the first retry of a 4xx; doubles on each retry (see `Backoff`).
    public var retryDelay: Int = 1
    /// Deliveries claimed (marked `sending`) per commit by one connection: a crash can
    /// leave at most `batch` × `connections` deliveries `uncertain`. 1 = a commit per message.
    public var batch: Int = 20
    /// Pending deliveries of a digest older than this many days are given up (`failed`),
    /// like an MTA's queue lifetime, so one dead mailbox cannot block later digests.
    public var giveUpDays: Int = 5

    public init() {}

    init(yaml: inout YAMLMapping?) throws(SourceProblem) {
        guard var yaml else { return }
        url = try yaml.string("url")
        startTLS = try yaml.choice("starttls", StartTLS.self)
        username = try yaml.string("username")
        passwordFile = try yaml.string("password_file")
        caFile = try yaml.string("ca_file")
        connections = try yaml.int("connections", in: 1...64) ?? connections
        rate = try yaml.int("rate", in: 0...100_000) ?? rate
        retries = try yaml.int("retries", in: 0...50) ?? retries
        timeoutSeconds = try yaml.int("timeout", in: 1...3600) ?? timeoutSeconds
        retryDelay = try yaml.int("retry_delay", in: 0...3600) ?? retryDelay
        batch = try yaml.int("batch", in: 1...1000) ?? batch
        giveUpDays = try yaml.int("give_up_after_days", in: 1...365) ?? giveUpDays
        if yaml.has("password") {
            _ = yaml.node("password")
            throw yaml.problem(yaml.line, "smtp.password must not be in the config: use HERALD_SMTP_PASSWORD or smtp.password_file")
        }
        try yaml.rejectUnknownKeys(known: "smtp")
    }
}
