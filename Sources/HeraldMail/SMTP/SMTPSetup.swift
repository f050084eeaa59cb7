import CCurl
import Foundation
import HeraldBase
import HeraldConfig

/// A problem with `smtp:` or the credentials, said so the operator can fix it.
public struct MailConfigError: ExitStatusError, Sendable {
    public let message: String
    public let exitStatus: ExitStatus
    public var description: String { message }

    init(message: String, exitStatus: ExitStatus = .config) {
        self.message = message
        self.exitStatus = exitStatus
    }
}

extension SMTPSettings {
    /// What `herald check` asks: would a send find its password and CA bundle?
    package func checkCredentials(environment: [String: String], baseDirectory: URL) throws(MailConfigError) {
        _ = try relayOptions(environment: environment, baseDirectory: baseDirectory)
    }

    /// The first relay's options: for a single message (`send --test`, a confirmation mail).
    package func connectionOptions(environment: [String: String], baseDirectory: URL) throws(MailConfigError) -> SMTPConnection.Options {
        try relayOptions(environment: environment, baseDirectory: baseDirectory)[0]
    }

    /// Checks the settings and gathers the password and CA bundle, once per run, for every
    /// relay of `smtp.url` in order: the relays share the user name, the password and the
    /// CA bundle; each has its own TLS mode (`opportunistic` by default only on loopback).
    /// The password comes from `HERALD_SMTP_PASSWORD`, else `smtp.password_file`,
    /// else `$CREDENTIALS_DIRECTORY/smtp-password` (systemd `LoadCredential=`). It is
    /// handed to libcurl and never printed.
    package func relayOptions(environment: [String: String], baseDirectory: URL) throws(MailConfigError) -> [SMTPConnection.Options] {
        // libcurl is loaded on first use: a machine without it hears so before anything is sent.
        if let problem = CurlEasy.unavailable { throw MailConfigError(message: problem, exitStatus: .unavailable) }
        // herald.yml's checks (Publication.load) made sure each URL is smtp:// or smtps:// with a host.
        guard !relays.isEmpty else {
            throw MailConfigError(
                message: "smtp.url is not set in herald.yml: sending needs an SMTP server such as smtp://mail.example.org:587")
        }

        var password: String? = nil
        if let username, !username.isEmpty {
            password = try Self.password(passwordFile: passwordFile, environment: environment, baseDirectory: baseDirectory)
            guard password != nil else {
                throw MailConfigError(
                    message:
                        "smtp.username is set but no password: set HERALD_SMTP_PASSWORD, smtp.password_file, or a systemd credential named smtp-password"
                )
            }
        }

        var bundle: [UInt8]? = nil
        if let caFile {
            let path = URL(fileURLWithPath: caFile, relativeTo: baseDirectory).path
            guard let extra = FileManager.default.contents(atPath: path) else {
                throw MailConfigError(message: "smtp.ca_file: cannot read \(path)")
            }
            // libcurl's CAINFO_BLOB replaces the default bundle; prepend it so ca_file adds a CA.
            var pem = SMTPConnection.defaultCABundlePath().flatMap { FileManager.default.contents(atPath: $0) }.map { [UInt8]($0) } ?? []
            pem.append(10)
            pem.append(contentsOf: extra)
            bundle = pem
        }
        return relays.map { relay in
            let useSSL: curl_usessl =
                switch (relay.scheme?.lowercased(), effectiveStartTLS(for: relay)) {
                case ("smtps", _), (_, .required): CURLUSESSL_ALL
                case (_, .opportunistic): CURLUSESSL_TRY
                case (_, .off): CURLUSESSL_NONE
                }
            return SMTPConnection.Options(
                url: relay.absoluteString, useSSL: Int(useSSL.rawValue), username: username?.isEmpty == false ? username : nil,
                password: password, caBundle: bundle, replyTimeout: timeoutSeconds,
                finalReplyTimeout: dataTimeoutSeconds)
        }
    }

    private static func password(passwordFile: String?, environment: [String: String], baseDirectory: URL) throws(MailConfigError)
        -> String?
    {
        if let value = environment["HERALD_SMTP_PASSWORD"], !value.isEmpty { return value }
        var path: String? = passwordFile.map { URL(fileURLWithPath: $0, relativeTo: baseDirectory).path }
        if path == nil, let dir = environment["CREDENTIALS_DIRECTORY"], !dir.isEmpty {
            let candidate = URL(fileURLWithPath: dir).appendingPathComponent("smtp-password").path
            if FileManager.default.fileExists(atPath: candidate) { path = candidate }
        }
        guard let path else { return nil }
        let text: String
        do { text = try SecretFile.text(of: path) } catch { throw MailConfigError(message: "the SMTP password file \(error)") }
        // A trailing newline from `echo secret > file` is not part of the password.
        let trimmed = text.trimmingCharacters(in: .newlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}
