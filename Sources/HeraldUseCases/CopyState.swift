import Foundation
import HeraldBase
import HeraldConfig
import HeraldState

/// `herald state copy PUB --to …`: the publication's state, wherever herald.yml keeps it,
/// copied into an empty state of the other kind (a SQLite folder into PostgreSQL, or back),
/// every table counted and checksummed on both sides.
public struct CopyState {
    public struct Refused: ExitStatusError, Sendable {
        public let description: String
        public var exitStatus: ExitStatus { .usage }
    }

    let state: PublicationState
    let target: String
    let environment: [String: String]

    /// `target` is `--to`: a `postgresql://` URL or a folder.
    public init(_ state: PublicationState, to target: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.state = state
        self.target = target
        self.environment = environment
    }

    /// What is printed: the source, the target, then one line per table.
    public struct Report: Sendable {
        public let source: String
        public let target: String
        public let tables: [StateCopy.TableReport]

        /// `from …`, `to …`, then per table: rows and checksum on each side, and the verdict.
        public var lines: [String] {
            ["from \(source)", "to   \(target)"]
                + tables.map(\.line)
        }
    }

    public func run() throws -> Report {
        let publication = state.publication
        let toServer = StateServer.isServerURL(target)
        if let server = publication.stateServer {
            guard !toServer else {
                throw Refused(description: "both states are PostgreSQL databases: copy between them with pg_dump and pg_restore")
            }
            let source = try PostgresState(server: server, passwordFile: publication.statePasswordFile, environment: environment)
            let folder = URL(fileURLWithPath: target).standardizedFileURL
            let destination = try StateDatabase(directory: folder)
            return Report(
                source: server.description, target: folder.path, tables: try StateCopy.copy(from: source, to: destination))
        }
        guard toServer else {
            throw Refused(
                description: "both states are SQLite folders: copy the folder while no herald runs (or use sqlite3 .backup)")
        }
        let server: StateServer
        do throws(StateServer.Invalid) { server = try StateServer(url: target) } catch {
            throw Refused(description: "--to: \(error.description)")
        }
        let source = try StateDatabase.readOnly(directory: state.directory)
        let destination = try PostgresState(server: server, environment: environment)
        return Report(
            source: state.directory.path, target: server.description, tables: try StateCopy.copy(from: source, to: destination))
    }
}
