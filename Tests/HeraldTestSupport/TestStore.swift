import Foundation
import HeraldState

/// The state backends a test runs against: SQLite always, PostgreSQL where the test
/// cluster runs (always in CI, see `TestPostgres`).
public enum Backend: String, Sendable, CustomStringConvertible {
    case sqlite, postgresql

    public var description: String { rawValue }

    /// What `@Test(arguments: Backend.all)` runs.
    public static var all: [Backend] { TestPostgres.available ? [.sqlite, .postgresql] : [.sqlite] }
}

/// A fresh, empty state of one backend for one test: a SQLite database in a scratch folder
/// (removed with this value), or a new database on the test cluster.
public final class TestStore: Sendable {
    public let backend: Backend
    public let store: PublicationStore
    private let folder: URL?

    public init(_ backend: Backend) throws {
        self.backend = backend
        switch backend {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("herald-test-\(UUID().uuidString)")
            self.folder = folder
            store = PublicationStore(sqlite: try StateDatabase(directory: folder))
        case .postgresql:
            folder = nil
            guard let state = try TestPostgres.freshState() else { throw TestPostgres.NotRunning() }
            store = PublicationStore(postgres: state)
        }
    }

    public var subscribers: any SubscriberStorage { store.subscribers }
    public var subscriptions: any SubscriptionStorage { store.subscriptions(legacyTokens: nil) }
    public var bounces: any BounceStorage { store.bounces }
    public var feedSource: any FeedSourceStorage { store.feedSource }

    deinit { if let folder { try? FileManager.default.removeItem(at: folder) } }
}
