import Foundation
import HeraldConfig

extension StatusReport {
    /// A publication's report, read from where its `state:` says, changing nothing
    /// (`PublicationStore.openForReading`).
    public struct Reading: Sendable {
        public let report: StatusReport
        /// Where the state is, as the operator may be told (a server's URL has no password).
        public let location: String
        /// False: there is no state yet, which reads as an empty one.
        public let exists: Bool
        /// The newest digest journaled, for when the next one is due.
        public let lastDigest: DigestRecord?
    }

    public static func read(
        publication: Publication, directory: URL, lastDigests: Int,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Reading {
        guard let store = try PublicationStore.openForReading(publication: publication, directory: directory, environment: environment)
        else {
            let place = publication.stateServer?.description ?? directory.path
            return Reading(report: .empty, location: place, exists: false, lastDigest: nil)
        }
        let report: StatusReport
        if let state = store.server {
            report = try load(state, lastDigests: lastDigests)
        } else if let database = store.database {
            report = try load(database, lastDigests: lastDigests)
        } else {
            report = .empty
        }
        return Reading(report: report, location: store.place, exists: true, lastDigest: try store.digestHistory.lastSentDigest())
    }
}
