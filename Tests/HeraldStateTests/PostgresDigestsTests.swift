import Foundation
import HeraldTestSupport
import PostgresNIO
import Testing

@testable import HeraldState

@Suite(.enabled(if: TestPostgres.available, "no PostgreSQL cluster: run through scripts/test-postgres"))
struct PostgresDigestsTests {
    @Test func sendersStartingAtOnceJournalOneDigest() throws {
        let state = try #require(try TestPostgres.freshState(activeSubscribers: 50))
        let senders = try (0..<3).map { _ in PostgresDigests(state: try PostgresState(server: state.server)) }
        let digest = DigestRecord(
            number: 1, postIDs: ["/a/"], subject: "S", createdAt: Date(),
            newestPostDate: Date(timeIntervalSinceReferenceDate: 786_000_000.000_123_4))
        let outcomes = Outcomes()
        DispatchQueue.concurrentPerform(iterations: senders.count) { index in
            outcomes.add(Result { try senders[index].create(digest) })
        }
        #expect(outcomes.all.filter { $0 == .created(deliveries: 50) }.count == 1)
        #expect(outcomes.all.filter { $0 == .joined }.count == 2)
        let rows = try state.session.query("SELECT COUNT(*) FROM deliveries").first?.decode(Int.self)
        #expect(rows == 50)
        let unfinished = try #require(try PostgresDigests(state: state).unfinished())
        #expect(unfinished.newestPostDate == digest.newestPostDate)
        #expect(unfinished.postIDs == ["/a/"])
        #expect(try PostgresDigests(state: state).last()?.number == 1)
    }
}

final class Outcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [PostgresDigests.Creation] = []
    var all: [PostgresDigests.Creation] { lock.withLock { results } }
    func add(_ result: Result<PostgresDigests.Creation, any Error>) {
        lock.withLock { if case .success(let value) = result { results.append(value) } }
    }
}
