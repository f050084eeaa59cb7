import Foundation
import HeraldBase

/// `smtp:` in herald.yml. The password is never here: it comes from
/// `HERALD_SMTP_PASSWORD`, `password_file`, or a systemd credential.
public struct SMTPSettings: Sendable {
    public enum StartTLS: String, Sendable, CaseIterable { case required, opportunistic, off }

    /// `smtp://host:port` or `smtps://host:port`, checked; nil means sending is not configured.
    public var url: URL?
    /// As configured; nil picks `required`, or `opportunistic` on a loopback host.
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
    /// Seconds before the first retry of a 4xx; doubles on each retry.
    public var retryDelay: Int = 1
    /// Pending deliveries of a digest older than this many days are given up (`failed`),
    /// like an MTA's queue lifetime, so one dead mailbox cannot block later digests.
    public var giveUpDays: Int = 5

    public init() {}

    /// The host of `url`, without brackets.
    public var host: String? { url?.host.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "[]")) } }

    /// Hosts where plain-text SMTP is acceptable (`starttls: off`).
    public static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return h == "localhost" || h == "::1" || h.hasPrefix("127.")
    }

    /// The TLS mode in force: as configured, else `required` (`opportunistic` on loopback).
    public var effectiveStartTLS: StartTLS {
        startTLS ?? (host.map(Self.isLoopback) == true ? .opportunistic : .required)
    }

    init(yaml: YAMLMapping?, log: ProblemLog) {
        guard var yaml else { return }
        url = log.attempt { try yaml.value("url", Self.smtpURL) }
        startTLS = log.attempt { try yaml.choice("starttls", StartTLS.self) }
        username = log.attempt { try yaml.string("username") }
        passwordFile = log.attempt { try yaml.string("password_file") }
        caFile = log.attempt { try yaml.string("ca_file") }
        connections = log.attempt { try yaml.int("connections", in: 1...64) } ?? connections
        rate = log.attempt { try yaml.int("rate", in: 0...100_000) } ?? rate
        retries = log.attempt { try yaml.int("retries", in: 0...50) } ?? retries
        timeoutSeconds = log.attempt { try yaml.int("timeout", in: 1...3600) } ?? timeoutSeconds
        dataTimeoutSeconds = log.attempt { try yaml.int("data_timeout", in: 1...3600) } ?? dataTimeoutSeconds
        maxConnectionFailures = log.attempt { try yaml.int("max_connection_failures", in: 1...100) } ?? maxConnectionFailures
        alertPendingAfterMinutes =
            log.attempt { try yaml.int("alert_pending_after_minutes", in: 0...525_600) }
            ?? alertPendingAfterMinutes
        retryDelay = log.attempt { try yaml.int("retry_delay", in: 0...3600) } ?? retryDelay
        // Accepted from older configurations and ignored: each connection now marks one
        // message ahead, group-committed across connections (see DeliveryJournal).
        _ = log.attempt { try yaml.int("batch", in: 1...1000) }
        giveUpDays = log.attempt { try yaml.int("give_up_after_days", in: 1...365) } ?? giveUpDays
        if let given = url, URLCredentials.hasUserInfo(given.absoluteString) {
            log.add(
                yaml.problem(
                    yaml.line(of: "url"),
                    "smtp.url must not hold a user name or password; use smtp.username and the password file/env "
                        + "(smtp.password_file, HERALD_SMTP_PASSWORD or the systemd credential smtp-password)"))
            url = nil
        }
        if yaml.has("password") {
            _ = yaml.node("password")
            log.add(
                yaml.problem(
                    yaml.line(of: "password"),
                    "smtp.password must not be in the config: use HERALD_SMTP_PASSWORD or smtp.password_file"))
        }
        if effectiveStartTLS == .off, url?.scheme == "smtp", let host, !Self.isLoopback(host) {
            log.add(
                yaml.problem(
                    yaml.line(of: "starttls"),
                    "smtp.starttls: off sends passwords and mail in clear text; "
                        + "it is only allowed for a loopback host, not \(host)"))
        }
        yaml.unknownKeys().forEach(log.add)
    }

    private static func smtpURL(_ text: String) throws(ConfigValueError) -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw ConfigValueError(
                "\(URLCredentials.redacted(text).debugDescription) is not a URL such as smtp://mail.example.org:587")
        }
        guard scheme == "smtp" || scheme == "smtps" else {
            throw ConfigValueError("must start with smtp:// or smtps://, not \(scheme)://")
        }
        return url
    }
}
