import Foundation
import GRDB
import HeraldBase
import HeraldConfig

/// One SQLite database per publication (`state.sqlite` in the state folder),
/// in WAL mode so `herald status` can read while `herald send` writes.
public final class StateDatabase: Sendable {
    public let directory: URL
    let pool: DatabasePool

    /// The database's file name in the state folder.
    public static let fileName = "state.sqlite"

    /// The database file and the ones SQLite keeps beside it. Only SQLite may open them:
    /// closing any descriptor of a file drops every lock the process holds on it.
    public var files: [URL] {
        ["", "-wal", "-shm", "-journal"].map { directory.appendingPathComponent(Self.fileName + $0) }
    }

    public struct OpenError: ExitStatusError, Sendable {
        public let path: String
        public let reason: String
        public var description: String { "\(path): cannot open the state database: \(reason)" }
        public var exitStatus: ExitStatus { .cantCreate }
    }

    /// Where a publication's state lives unless `--state-dir` says otherwise: `state:` in
    /// herald.yml, else `$STATE_DIRECTORY/NAME` under systemd, else
    /// `$XDG_STATE_HOME/herald/NAME` (`~/.local/state/herald/NAME`). Never the current
    /// folder, nor the site's working tree: subscriber addresses must not land in a commit,
    /// and a command run from another folder must find the same database.
    public static func defaultDirectory(
        for publication: Publication,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> URL {
        if let configured = publication.stateDirectory { return configured }
        if let dir = environment["STATE_DIRECTORY"], !dir.isEmpty {
            // systemd may pass several colon-separated directories; the first is ours.
            let first = dir.split(separator: ":").first.map(String.init) ?? dir
            return URL(fileURLWithPath: first).appendingPathComponent(publication.name)
        }
        let base: URL
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
            base = URL(fileURLWithPath: xdg)
        } else {
            let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            base = URL(fileURLWithPath: home).appendingPathComponent(".local/state")
        }
        return base.appendingPathComponent("herald").appendingPathComponent(publication.name)
    }

    init(directory: URL, pool: DatabasePool) {
        self.directory = directory
        self.pool = pool
    }

    public init(directory: URL) throws(OpenError) {
        self.directory = directory
        let path = directory.appendingPathComponent(Self.fileName).path
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            var config = Configuration()
            // Another process (status, subscribers) may hold a write briefly.
            config.busyMode = .timeout(10)
            pool = try DatabasePool(path: path, configuration: config)
            // FULL: a committed "sending" or "sent" survives power loss, not just a crash.
            // Set on the writer connection after the pool is open: DatabasePool switches
            // WAL databases to NORMAL after `prepareDatabase`, which silently undid it there.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            try Migrations.migrator.migrate(pool)
        } catch {
            throw OpenError(path: path, reason: "\(error)")
        }
    }
}
