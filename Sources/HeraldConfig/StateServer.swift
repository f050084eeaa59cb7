import Foundation
import HeraldBase

/// `state: postgresql://host[:port]/database[?user=NAME&sslmode=MODE&sslrootcert=PATH]` in
/// herald.yml: the publication's subscribers and journal in a PostgreSQL database instead of
/// the SQLite file.
/// The password is never part of it: it comes from `HERALD_STATE_PASSWORD`,
/// `state_password_file`, or the systemd credential `state-password`.
public struct StateServer: Sendable, Equatable, CustomStringConvertible {
    public let host: String
    public let port: Int
    public let database: String
    /// nil: the server's default (the operating-system user's name).
    public let user: String?
    /// How the connection is protected (see `SSLMode` for the default).
    public let sslMode: SSLMode
    /// The CA file that signs the server's certificate; nil: the system's trust store.
    public let sslRootCert: URL?

    public static let defaultPort = 5432

    /// Whether `text` names a database server rather than a folder.
    public static func isServerURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://")
    }

    /// What is wrong with a `state:` URL, said without its password.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    public init(
        host: String, port: Int = Self.defaultPort, database: String, user: String? = nil, sslMode: SSLMode? = nil,
        sslRootCert: URL? = nil
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.user = user
        self.sslMode = sslMode ?? SSLMode.defaultMode(for: host)
        self.sslRootCert = sslRootCert
    }

    /// The same server and settings, another database on it.
    public func database(_ name: String) -> StateServer {
        StateServer(host: host, port: port, database: name, user: user, sslMode: sslMode, sslRootCert: sslRootCert)
    }

    /// Reads a `state:` URL; a relative `sslrootcert=` is resolved against `folder`
    /// (herald.yml's), or the working directory when nil.
    public init(url text: String, relativeTo folder: URL? = nil) throws(Invalid) {
        let shown = URLCredentials.redacted(text).debugDescription
        guard Self.isServerURL(text), let parts = URLComponents(string: text) else {
            throw Invalid(description: "\(shown) is not a URL such as postgresql://db.example.org/herald?user=herald")
        }
        if parts.password != nil || parts.percentEncodedUser?.contains(":") == true {
            throw Invalid(
                description:
                    "\(shown) holds a password; a password is never written in herald.yml: set HERALD_STATE_PASSWORD, "
                    + "state_password_file, or the systemd credential state-password")
        }
        guard let host = parts.host?.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), !host.isEmpty else {
            throw Invalid(description: "\(shown) names no host, as in postgresql://db.example.org/herald")
        }
        let port = parts.port ?? Self.defaultPort
        guard (1...65535).contains(port) else { throw Invalid(description: "\(shown): port \(port) is not 1 to 65535") }
        let database = String(parts.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw Invalid(description: "\(shown) names no database, as in postgresql://db.example.org/herald")
        }
        var user = parts.user.flatMap { $0.isEmpty ? nil : $0 }
        var sslMode: SSLMode?
        var sslRootCert: URL?
        var seen: Set<String> = []
        for item in parts.queryItems ?? [] {
            guard seen.insert(item.name).inserted || item.name == "user" else {
                throw Invalid(description: "\(shown): \(item.name)= is given twice")
            }
            switch item.name {
            case "user":
                guard let value = item.value, !value.isEmpty else { throw Invalid(description: "\(shown): user= is empty") }
                if let named = user, named != value {
                    throw Invalid(description: "\(shown) names two users (\(named) and \(value))")
                }
                user = value
            case "password":
                throw Invalid(
                    description:
                        "\(URLCredentials.redacted(Self.withoutQuery(text)).debugDescription) holds a password; a password is never "
                        + "written in herald.yml: set HERALD_STATE_PASSWORD, state_password_file, or the systemd credential state-password"
                )
            case "sslmode":
                let modes = SSLMode.allCases.map(\.rawValue).joined(separator: ", ")
                guard let value = item.value, let mode = SSLMode(rawValue: value) else {
                    throw Invalid(
                        description: "\(shown): sslmode=\(item.value ?? "") is not one of \(modes)")
                }
                sslMode = mode
            case "sslrootcert":
                guard let value = item.value, !value.isEmpty else {
                    throw Invalid(description: "\(shown): sslrootcert= is empty; name the CA file that signs the server's certificate")
                }
                guard !value.contains("\0") else { throw Invalid(description: "\(shown): sslrootcert= holds a NUL character") }
                // libpq's word for the default: the system's trust store.
                if value != "system" {
                    sslRootCert = URL(fileURLWithPath: value, relativeTo: folder).standardizedFileURL
                }
            default:
                throw Invalid(
                    description:
                        "\(shown): unknown setting \(item.name.debugDescription) (only user=, sslmode= and sslrootcert= are read)")
            }
        }
        if sslRootCert != nil, let mode = sslMode, !mode.requiresTLS {
            throw Invalid(
                description:
                    "\(shown): sslrootcert= is read only with sslmode=require, verify-ca or verify-full, not \(mode.rawValue)")
        }
        // Naming a CA asks for it to be checked, as libpq's sslrootcert=system does.
        let mode = sslMode ?? (sslRootCert != nil ? .verifyFull : nil)
        self.init(host: host, port: port, database: database, user: user, sslMode: mode, sslRootCert: sslRootCert)
    }

    private static func withoutQuery(_ text: String) -> String {
        text.firstIndex(of: "?").map { String(text[..<$0]) + "?…" } ?? text
    }

    /// The URL as it may be printed: it never holds a password.
    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        var settings: [String] = []
        if let user { settings.append("user=\(user)") }
        if sslMode != SSLMode.defaultMode(for: host) { settings.append("sslmode=\(sslMode.rawValue)") }
        if let sslRootCert { settings.append("sslrootcert=\(sslRootCert.path)") }
        let query = settings.isEmpty ? "" : "?" + settings.joined(separator: "&")
        return "postgresql://\(shownHost):\(port)/\(database)\(query)"
    }
}
