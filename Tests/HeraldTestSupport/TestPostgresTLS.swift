import Foundation
import HeraldConfig

/// A PostgreSQL cluster of its own with `ssl=on`, started by `scripts/test-postgres start --tls`
/// (a CA made for it signs a certificate for 127.0.0.1 and localhost) and stopped when this
/// goes away: the main test cluster has no TLS, so both kinds of server are at hand.
public final class TestPostgresTLS {
    public struct StartFailed: Error, CustomStringConvertible {
        public let description: String
    }

    /// The cluster's `herald` database, reached by `host` with the settings given.
    public let port: Int
    /// The CA that signed the server's certificate.
    public let caFile: URL
    /// The `herald` role's password on this cluster.
    public let password: String
    private let folder: String

    public init() throws {
        let process = Process()
        process.executableURL = Checkout.path("scripts/test-postgres")
        process.arguments = ["start", "--tls"]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let said = output.fileHandleForReading.readDataToEndOfFile()
        let complaint = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var settings: [String: String] = [:]
        for line in String(decoding: said, as: UTF8.self).split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            settings[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        guard process.terminationStatus == 0, let url = settings["HERALD_TEST_POSTGRES_URL"],
            let port = try? StateServer(url: url).port, let ca = settings["HERALD_TEST_POSTGRES_CA"],
            let password = settings["HERALD_STATE_PASSWORD"], let folder = settings["HERALD_TEST_POSTGRES_DIR"]
        else {
            throw StartFailed(
                description: "scripts/test-postgres start --tls failed: \(String(decoding: complaint, as: UTF8.self))")
        }
        self.port = port
        self.caFile = URL(fileURLWithPath: ca)
        self.password = password
        self.folder = folder
    }

    /// The URL of the cluster's `herald` database with `settings` (`sslmode=…&sslrootcert=…`).
    public func url(host: String = "127.0.0.1", _ settings: String = "") -> String {
        "postgresql://\(host):\(port)/herald?user=herald" + (settings.isEmpty ? "" : "&" + settings)
    }

    public var environment: [String: String] { ["HERALD_STATE_PASSWORD": password] }

    deinit {
        let process = Process()
        process.executableURL = Checkout.path("scripts/test-postgres")
        process.arguments = ["stop", folder]
        try? process.run()
        process.waitUntilExit()
    }
}
