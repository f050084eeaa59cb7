import Foundation
import HeraldConfig
import HeraldState

/// The PostgreSQL cluster `scripts/test-postgres` starts for the tests (`make swift-test`
/// runs them inside it): each test gets a database of its own on it, dropped with the cluster.
public enum TestPostgres {
    public struct NotRunning: Error, CustomStringConvertible {
        public var description: String {
            "no test PostgreSQL cluster: run the tests through `scripts/test-postgres run swift test` (make swift-test does)"
        }
    }

    /// The cluster's `herald` database, or nil outside CI when no cluster was started.
    /// In CI a missing cluster is a failure, never a skip.
    public static var server: StateServer? {
        get throws {
            let environment = ProcessInfo.processInfo.environment
            guard let url = environment["HERALD_TEST_POSTGRES_URL"], !url.isEmpty else {
                if environment["CI"] == "true" { throw NotRunning() }
                return nil
            }
            return try StateServer(url: url)
        }
    }

    /// Whether the PostgreSQL cases run here: always in CI, elsewhere when a cluster is up.
    public static var available: Bool {
        ProcessInfo.processInfo.environment["CI"] == "true"
            || !(ProcessInfo.processInfo.environment["HERALD_TEST_POSTGRES_URL"] ?? "").isEmpty
    }

    /// A new, empty database on the cluster, migrated; nil when there is no cluster (see `server`).
    public static func freshState() throws -> PostgresState? {
        guard let base = try server else { return nil }
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let admin = try PostgresState(server: base)
        try admin.createDatabase(named: name)
        return try PostgresState(server: base.database(name))
    }
}
