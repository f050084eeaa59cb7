import Foundation
import HeraldBase
import HeraldConfig

/// A publication's state, opened from its `state:`: the SQLite database in the state folder,
/// or the PostgreSQL database it names. Commands take its parts and never ask which it is.
public final class PublicationStore: Sendable {
    public let subscribers: any SubscriberStorage
    public let bounces: any BounceStorage
    public let feedSource: any FeedSourceStorage
    public let digestHistory: any DigestHistory
    /// The delivery journal a send works on; on PostgreSQL shared by several senders.
    public let journal: any DeliveryLedger
    /// Where the state is, for messages: the folder, or the server without its password.
    public let place: String
    /// The SQLite database, for the parts not behind a protocol yet (nil for PostgreSQL).
    public let database: StateDatabase?
    /// The PostgreSQL state (nil for SQLite).
    public let server: PostgresState?
    private let subscriptionsWith: @Sendable (LegacyUnsubscribeToken?) -> any SubscriptionStorage

    /// Sign-ups, confirmations and unsubscribes; `legacyTokens` checks links from before opaque tokens.
    public func subscriptions(legacyTokens: LegacyUnsubscribeToken?) -> any SubscriptionStorage {
        subscriptionsWith(legacyTokens)
    }

    package init(sqlite database: StateDatabase) {
        subscribers = SubscriberStore(database: database)
        bounces = BounceJournal(database: database)
        feedSource = FeedSourceState(database: database)
        digestHistory = DeliveryJournal(database: database)
        journal = DeliveryJournal(database: database)
        subscriptionsWith = { Subscriptions(database: database, legacyTokens: $0) }
        place = database.directory.path
        self.database = database
        server = nil
    }

    /// `lease`: seconds a sender's claims hold without renewal (`HERALD_SEND_LEASE`).
    package init(postgres state: PostgresState, lease: Int = PostgresLedger.defaultLease) {
        subscribers = PostgresSubscriberStore(state: state)
        bounces = PostgresBounceJournal(state: state)
        feedSource = PostgresFeedSourceState(state: state)
        digestHistory = PostgresDigestHistory(state: state)
        journal = PostgresLedger(state: state, lease: lease)
        subscriptionsWith = { PostgresSubscriptions(state: state, legacyTokens: $0) }
        place = state.server.description
        database = nil
        server = state
    }

    /// The state, created or brought up to date on first use. `directory` is the SQLite
    /// state folder (`--state-dir` or the default); unused for a PostgreSQL `state:`.
    public static func open(
        publication: Publication, directory: URL,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> PublicationStore {
        if let server = publication.stateServer {
            // A bad HERALD_SEND_LEASE stops a send (`DeliveryLedgers.open`), not the other commands.
            let lease = (try? PostgresLedger.configuredLease(environment: environment)) ?? PostgresLedger.defaultLease
            return PublicationStore(
                postgres: try PostgresState(server: server, passwordFile: publication.statePasswordFile, environment: environment),
                lease: lease)
        }
        return PublicationStore(sqlite: try StateDatabase(directory: directory))
    }

    /// The state for a command that only reads: never created, never written, never
    /// migrated. nil when there is none yet, which reads as an empty one. SQLite works where
    /// the folder is read-only to the caller (`StateDatabase.readOnly`); on PostgreSQL the
    /// session refuses writes.
    public static func openForReading(
        publication: Publication, directory: URL,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> PublicationStore? {
        if let server = publication.stateServer {
            let state = try PostgresState(
                server: server, passwordFile: publication.statePasswordFile, environment: environment, readOnly: true)
            switch try PostgresMigrations.progress(state.session) {
            case .none: return nil
            case .older: throw PostgresStateError.olderSchema(server: server.description)
            case .current: return PublicationStore(postgres: state)
            }
        }
        do { return PublicationStore(sqlite: try StateDatabase.readOnly(directory: directory)) } catch is StateDatabase.Missing {
            return nil
        }
    }
}
