import Foundation
import HeraldConfig

extension StatusReport {
    /// A publication's report, read from where its `state:` says, changing nothing in a SQLite
    /// state (see `StateDatabase.readOnly`).
    public struct Reading: Sendable {
        public let report: StatusReport
        /// Where the state is, as the operator may be told (a server's URL has no password).
        public let location: String
        /// False: there is no SQLite database yet, which reads as an empty state.
        public let exists: Bool
        /// The newest digest journaled, for when the next one is due.
        public let lastDigest: DigestRecord?
    }

    public static func read(
        publication: Publication, directory: URL, lastDigests: Int,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Reading {
        if let server = publication.stateServer {
            let state = try PostgresState(server: server, passwordFile: publication.statePasswordFile, environment: environment)
            let ledger = PostgresLedger(state: state)
            return Reading(
                report: try load(state, lastDigests: lastDigests), location: server.description, exists: true,
                lastDigest: try ledger.lastSentDigest())
        }
        let database: StateDatabase
        do { database = try StateDatabase.readOnly(directory: directory) } catch is StateDatabase.Missing {
            return Reading(report: .empty, location: directory.path, exists: false, lastDigest: nil)
        }
        return Reading(
            report: try load(database, lastDigests: lastDigests), location: directory.path, exists: true,
            lastDigest: try DeliveryJournal(database: database).lastSentDigest())
    }
}
