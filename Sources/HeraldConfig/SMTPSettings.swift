import Foundation
import HeraldBase

/// `smtp:` in herald.yml. The password is never here: it comes from
/// `HERALD_SMTP_PASSWORD`, `password_file`, or a systemd credential.
public struct SMTPSettings: Sendable {
    public enum StartTLS: String, Sendable, CaseIterable { case required, opportunistic, off }

    /// The relays of `smtp.url` in the order given, each `smtp://host:port` or
    /// `smtps://host:port`, checked and each listed once; empty means sending is not
    /// configured. One URL is a pool of one relay.
    public var relays: [URL] = []
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

    /// At most this many relays in `smtp.url`: more than the connections a run may open.
    public static let maxRelays = 64

    public init() {}

    /// The first relay of `smtp.url` (the only one, usually); nil means sending is not configured.
    public var url: URL? {
        get { relays.first }
        set { relays = newValue.map { [$0] } ?? [] }
    }

    /// The host of `relay`, without brackets.
    public static func host(of relay: URL) -> String {
        (relay.host ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
    }

    /// Hosts where plain-text SMTP is acceptable (`starttls: off`).
    public static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return h == "localhost" || h == "::1" || h.hasPrefix("127.")
    }

    /// The TLS mode in force for `relay`: as configured, else `required` (`opportunistic` on loopback).
    public func effectiveStartTLS(for relay: URL) -> StartTLS {
        startTLS ?? (Self.isLoopback(Self.host(of: relay)) ? .opportunistic : .required)
    }

    init(yaml: YAMLMapping?, log: ProblemLog) {
        guard var yaml else { return }
        if let given = log.attempt({ try yaml.stringOrList("url") }) {
            relays = Self.relays(given.entries, isList: given.isList, yaml: yaml, log: log)
        }
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
        if yaml.has("password") {
            _ = yaml.node("password")
            log.add(
                yaml.problem(
                    yaml.line(of: "password"),
                    "smtp.password must not be in the config: use HERALD_SMTP_PASSWORD or smtp.password_file"))
        }
        if let relay = relays.first(where: {
            effectiveStartTLS(for: $0) == .off && $0.scheme?.lowercased() == "smtp" && !Self.isLoopback(Self.host(of: $0))
        }) {
            let host = Self.host(of: relay)
            log.add(
                yaml.problem(
                    yaml.line(of: "starttls"),
                    "smtp.starttls: off sends passwords and mail in clear text; "
                        + "it is only allowed for a loopback host, not \(host)"))
        }
        yaml.unknownKeys().forEach(log.add)
    }

    /// The entries of `smtp.url`, each checked at its own line: one URL reads as it always
    /// has (`smtp.url: …`); in a list each problem names its entry (`smtp.url entry 2: …`).
    private static func relays(_ entries: [(text: String, line: Int)], isList: Bool, yaml: YAMLMapping, log: ProblemLog) -> [URL] {
        let keyLine = yaml.line(of: "url")
        guard !entries.isEmpty else {
            log.add(yaml.problem(keyLine, "smtp.url lists no relay: give one URL such as smtp://mail.example.org:587, or a list of them"))
            return []
        }
        guard entries.count <= maxRelays else {
            log.add(yaml.problem(keyLine, "smtp.url lists \(entries.count) relays; at most \(maxRelays)"))
            return []
        }
        var relays: [URL] = []
        var seen: [String: Int] = [:] // relay identity → entry number
        var failed = false
        for (index, entry) in entries.enumerated() {
            let name = isList ? "smtp.url entry \(index + 1)" : "smtp.url"
            let url: URL
            do { url = try smtpURL(entry.text) } catch {
                log.add(yaml.problem(entry.line, "\(name): \(error.message)"))
                failed = true
                continue
            }
            if URLCredentials.hasUserInfo(url.absoluteString) {
                log.add(
                    yaml.problem(
                        entry.line,
                        "\(name) must not hold a user name or password; use smtp.username and the password file/env "
                            + "(smtp.password_file, HERALD_SMTP_PASSWORD or the systemd credential smtp-password)"))
                failed = true
                continue
            }
            let identity = relayIdentity(url)
            if let first = seen[identity] {
                log.add(
                    yaml.problem(
                        entry.line,
                        "\(name) is the same relay as entry \(first) (\(URLCredentials.redacted(entry.text))): list each relay once"))
                failed = true
                continue
            }
            seen[identity] = index + 1
            relays.append(url)
        }
        // A list with a bad entry is not used in part: the operator meant every relay.
        return failed ? [] : relays
    }

    /// Scheme, host and port: two spellings of one relay (`SMTP://Mail.example.org` and
    /// `smtp://mail.example.org:25`) are one relay.
    private static func relayIdentity(_ url: URL) -> String {
        let scheme = url.scheme?.lowercased() ?? ""
        let port = url.port ?? (scheme == "smtps" ? 465 : 25)
        return "\(scheme)://\(host(of: url).lowercased()):\(port)"
    }

    private static func smtpURL(_ text: String) throws(ConfigValueError) -> URL {
        // Foundation may percent-encode what it cannot parse; a control character, an
        // invisible one (a bidi override) or a space in a relay's address is a mistake (or an
        // attack on the logs) either way.
        if let odd = text.unicodeScalars.first(where: {
            [.control, .format].contains($0.properties.generalCategory) || $0.properties.isWhitespace
        }) {
            let code = String(odd.value, radix: 16, uppercase: true)
            throw ConfigValueError(
                "\(quoted(text)) holds a control character or a space "
                    + "(U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code)): "
                    + "write the relay as a URL such as smtp://mail.example.org:587")
        }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw ConfigValueError(
                "\(quoted(text)) is not a URL such as smtp://mail.example.org:587")
        }
        guard scheme == "smtp" || scheme == "smtps" else {
            throw ConfigValueError("must start with smtp:// or smtps://, not \(scheme)://")
        }
        return url
    }

    /// `text` quoted for a message, user-info masked: control characters escaped as Swift
    /// does (`\0`, `\r`), and invisible format characters (bidi overrides, zero widths) as
    /// `\u{202E}`, so the message shows what is there and cannot reorder the terminal.
    private static func quoted(_ text: String) -> String {
        var out = ""
        for scalar in URLCredentials.redacted(text).debugDescription.unicodeScalars {
            if scalar.properties.generalCategory == .format {
                out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
