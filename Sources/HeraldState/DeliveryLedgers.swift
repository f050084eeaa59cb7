import Foundation
import HeraldConfig

/// The delivery journal of a publication, from where its `state:` says: the SQLite database
/// in the state folder, or the PostgreSQL database named by the URL.
public enum DeliveryLedgers {
    /// Opens (creating or migrating) the publication's journal.
    public static func open(
        publication: Publication, directory: URL, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> any DeliveryLedger {
        if publication.stateServer != nil { _ = try PostgresLedger.configuredLease(environment: environment) }
        return try PublicationStore.open(publication: publication, directory: directory, environment: environment).journal
    }

    /// Whether several senders may share the publication's journal at once (PostgreSQL): then
    /// no local lock is taken, since the claims keep them apart and a lock would only serialize
    /// the senders of one host. A SQLite journal has one sender, behind `SendLock`.
    public static func sharedBySenders(_ publication: Publication) -> Bool { publication.stateServer != nil }
}
