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
    /// Seconds to wait for the greeting and for the reply to each command: RFC 5321
    /// 4.5.3.2 gives 5 minutes for the greeting, MAIL and RCPT.
    public var timeoutSeconds: Int = 300
    /// Seconds to wait for the reply to the final "." of a message. Without that reply the
    /// delivery is `uncertain` (the server may have the message), so this is generous.
    public var dataTimeoutSeconds: Int = 300
    /// Connection-level failures in a row (refused, no greeting, TLS, a timeout before MAIL)
    /// after which the run stops and leaves every delivery pending (exit 69).
    public var maxConnectionFailures: Int = 3
    /// A run that leaves a delivery pending whose digest is older than this exits 69, so
    /// mail stuck for a day is reported instead of being retried quietly timer after timer.
    public var alertPendingAfterMinutes: Int = 1440
    /// Seconds before the first retry of a 4xx; doubles on each retry (see `Backoff`).
    public var retryDelay: Int = 1
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
        dataTimeoutSeconds = try yaml.int("data_timeout", in: 1...3600) ?? dataTimeoutSeconds
        maxConnectionFailures = try yaml.int("max_connection_failures", in: 1...100) ?? maxConnectionFailures
        alertPendingAfterMinutes = try yaml.int("alert_pending_after_minutes", in: 0...525_600) ?? alertPendingAfterMinutes
        retryDelay = try yaml.int("retry_delay", in: 0...3600) ?? retryDelay
        // Accepted from older configurations and ignored: each connection now marks one
        // message ahead, group-committed across connections (see DeliveryJournal).
        _ = try yaml.int("batch", in: 1...1000)
        giveUpDays = try yaml.int("give_up_after_days", in: 1...365) ?? giveUpDays
        if yaml.has("password") {
            _ = yaml.node("password")
            throw yaml.problem(yaml.line, "smtp.password must not be in the config: use HERALD_SMTP_PASSWORD or smtp.password_file")
        }
        try yaml.rejectUnknownKeys(known: "smtp")
    }
}
