import Foundation
import HeraldConfig
import HeraldState

/// A publication and the folder of its state database: what every command that reads or
/// changes subscribers, tokens or the journal starts from.
public struct PublicationState: Sendable {
    public let publication: Publication
    public let directory: URL

    /// `override` is `--state-dir`; nil follows `state:` in herald.yml, systemd's
    /// StateDirectory, then XDG.
    public init(_ publication: Publication, override: String? = nil) {
        self.publication = publication
        directory = override.map { URL(fileURLWithPath: $0) } ?? StateDatabase.defaultDirectory(for: publication)
    }

    /// The state, SQLite or PostgreSQL, created or brought up to date on first use.
    func openStore() throws -> PublicationStore {
        try PublicationStore.open(publication: publication, directory: directory)
    }

    /// The state for a command that only reads: never created, never written (see
    /// `PublicationStore.openForReading`). nil when there is none yet, which reads as an
    /// empty one: no subscriber, no digest.
    func openStoreForReading() throws -> PublicationStore? {
        try PublicationStore.openForReading(publication: publication, directory: directory)
    }
}
