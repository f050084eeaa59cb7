import Dispatch
import Foundation
import HeraldBase
import HeraldConfig
import HeraldTestSupport
import PostgresNIO
import Synchronization
import Testing

@testable import HeraldState

/// What each backend must take from outside without failing, and what PostgreSQL must do
/// that SQLite's single writer does on its own: several servers on one database.
@Suite struct PublicationStoreTests {
    func consent(_ agent: String, page: String = "/subscribe", at: Date = Date()) -> Subscriptions.Consent {
        Subscriptions.Consent(at: at, client: "192.0.2.7", userAgent: agent, page: page)
    }

    /// A NUL, control characters and a megabyte in the evidence a browser or a report
    /// brings: kept (PostgreSQL stores a NUL as U+FFFD), never a failed request.
    @Test(arguments: Backend.all) func hostileEvidenceIsKept(_ backend: Backend) throws {
        let state = try TestStore(backend)
        let huge = String(repeating: "ü", count: 1 << 20)
        let address = try EmailAddress("nul@example.org")
        guard
            case .mail(let token) = try state.subscriptions.request(
                address, name: SubscriberName("N\u{1F600}l"), consent: consent("a\u{0}b\u{1B}[31m", page: "/s\u{0}"),
                lifetime: 3600, window: 0)
        else {
            Issue.record("no confirmation to mail")
            return
        }
        #expect(try state.subscriptions.confirm(token, consent: consent(huge)) == .confirmed(address: "nul@example.org"))
        let csv = try state.subscribers.exportCSV()
        #expect(csv.contains(huge))
        #expect(try state.subscribers.list().map(\.subscriber.name) == ["N\u{1F600}l"])
        let report = BounceReport(
            messageID: "<x\u{0}y@mx>", kind: .soft, token: nil, recipient: "r\u{0}", statusCode: "4.0.0", detail: huge + "\u{0}")
        let rules = BounceJournal.Rules(softLimit: 3, softDays: 14)
        #expect(try state.bounces.apply(report, rules: rules).decision == .ignored)
        #expect(try state.bounces.apply(report, rules: rules).reason == "already read (ignored)")
        let ids = ["a\u{0}", "a\u{FFFD}", String(repeating: "x", count: 100_000)]
        let at = Date(timeIntervalSinceReferenceDate: 800_000_000.5)
        #expect(try state.feedSource.recordSeen(ids, at: at) == Dictionary(uniqueKeysWithValues: ids.map { ($0, at) }))
        try state.feedSource.store(url: "https://a.example/\u{0}", etag: "\"\u{0}\"", lastModified: nil, body: [0, 255], at: at)
        let etag = try #require(try state.feedSource.cached(url: "https://a.example/\u{0}")?.etag)
        // SQLite keeps the NUL but GRDB reads text up to it; PostgreSQL shows where it was.
        #expect(backend == .sqlite ? etag.hasPrefix("\"") : etag == "\"\u{FFFD}\"")
        #expect(try state.feedSource.cached(url: "https://a.example/\u{0}")?.body == [0, 255])
    }

    /// Addresses with control characters never reach a database: they are no addresses.
    @Test func addressesWithControlCharactersAreRefused() {
        for text in ["a\u{0}b@example.org", "a@exa\u{0}mple.org", "a\r\nBcc: x@example.org", "a\u{7F}@example.org"] {
            #expect(throws: EmailAddress.Invalid.self) { try EmailAddress(text) }
        }
    }

    /// Servers on one database ask at once for the same address: one confirmation is mailed.
    @Test(.enabled(if: TestPostgres.available)) func concurrentRequestsForOneAddressMailOnce() throws {
        let first = try #require(try TestPostgres.freshState())
        let stores = try (0..<4).map { _ in PublicationStore(postgres: try PostgresState(server: first.server)) }
        let address = try EmailAddress("race@example.org")
        let mailed = Atomic<Int>(0)
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 16) { i in
            do {
                let outcome = try stores[i % stores.count].subscriptions(legacyTokens: nil).request(
                    address, name: nil, consent: consent("t\(i)"), lifetime: 3600, window: 600)
                if case .mail = outcome { mailed.add(1, ordering: .relaxed) }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        #expect(mailed.load(ordering: .relaxed) == 1)
    }

    /// Two servers' batches of one-click unsubscribes, in opposite orders, at once: no
    /// deadlock, each subscription ended once, every answer true.
    @Test(.enabled(if: TestPostgres.available)) func crossedUnsubscribeBatchesAllCommit() throws {
        let first = try #require(try TestPostgres.freshState())
        let a = PublicationStore(postgres: first)
        let b = PublicationStore(postgres: try PostgresState(server: first.server))
        for i in 0..<40 { _ = try a.subscribers.add(EmailAddress("u\(i)@example.org"), name: nil) }
        let tokens = try a.subscribers.list().compactMap(\.subscriber.unsubscribeToken).map(UnsubscribeLinkToken.current)
        let failures = Mutex<[String]>([])
        let ended = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            let store = i % 2 == 0 ? a : b
            let order = i % 2 == 0 ? tokens : tokens.reversed()
            do {
                let leaves = try store.subscriptions(legacyTokens: nil).unsubscribe(order.map { ($0, consent("b\(i)")) })
                for leave in leaves {
                    if case .unsubscribed = leave { ended.add(1, ordering: .relaxed) }
                    if case .unknown = leave { failures.withLock { $0.append("unknown") } }
                }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        #expect(ended.load(ordering: .relaxed) == tokens.count)
        #expect(try b.subscribers.count(.unsubscribed) == tokens.count)
    }

    /// A command that only reads finds no state in an empty database, and cannot write to one.
    @Test(.enabled(if: TestPostgres.available)) func readingNeverCreatesNorWrites() throws {
        let base = try #require(try TestPostgres.server)
        let admin = try PostgresState(server: base)
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try admin.createDatabase(named: name)
        let server = base.database(name)
        let reader = try PostgresState(server: server, readOnly: true)
        #expect(try PostgresMigrations.progress(reader.session) == .none)
        _ = try PostgresState(server: server)
        #expect(try PostgresMigrations.progress(reader.session) == .current)
        #expect(throws: PostgresStateError.self) {
            try PublicationStore(postgres: reader).subscribers.add(EmailAddress("w@example.org"), name: nil)
        }
    }

    /// The server closes a long-running server's connection (a restart, a failover): the
    /// statement that meets the closed connection fails, the ones after it work again, and a
    /// read-only state stays read-only on its new connection.
    @Test(.enabled(if: TestPostgres.available)) func aClosedConnectionIsReplaced() throws {
        let first = try #require(try TestPostgres.freshState())
        let writer = PublicationStore(postgres: first)
        let reader = try PostgresState(server: first.server, readOnly: true)
        let admin = try PostgresState(server: first.server)
        _ = try writer.subscribers.add(EmailAddress("a@example.org"), name: nil)
        try admin.session.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        // The client learns of the close a moment later, or from the statement that meets it.
        var answered = false
        for _ in 0..<50 where !answered {
            answered = (try? writer.subscribers.count(.active)) == 1
            if !answered { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(answered)
        #expect(try writer.subscribers.add(EmailAddress("b@example.org"), name: nil) == .added)
        var read = false
        for _ in 0..<50 where !read {
            read = (try? PublicationStore(postgres: reader).subscribers.count(.active)) == 2
            if !read { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(read)
        #expect(throws: PostgresStateError.self) {
            try PublicationStore(postgres: reader).subscribers.add(EmailAddress("c@example.org"), name: nil)
        }
    }
}
