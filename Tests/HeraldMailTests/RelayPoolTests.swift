import Foundation
import Synchronization
import Testing

@testable import HeraldMail

@Suite struct RelayPoolTests {
    /// A clock the test moves by hand.
    final class Clock: Sendable {
        private let now = Mutex(Date(timeIntervalSince1970: 1_000_000))
        func read() -> Date { now.withLock { $0 } }
        func advance(_ seconds: Double) { now.withLock { $0 = $0.addingTimeInterval(seconds) } }
    }

    func pool(_ count: Int, downAfter: Int = 3, clock: Clock = Clock()) -> RelayPool {
        let options = (0..<count).map { i in
            SMTPConnection.Options(
                url: "smtp://relay\(i).example.org:25", useSSL: 0, username: nil, password: nil, caBundle: nil,
                replyTimeout: 5, finalReplyTimeout: 5)
        }
        return RelayPool(options, downAfter: downAfter, clock: { clock.read() })
    }

    @Test func connectionsGoToTheRelaysInTurn() {
        let relays = pool(3)
        #expect((0..<7).map { _ in relays.pick().index } == [0, 1, 2, 0, 1, 2, 0])
        #expect(relays.names == ["smtp://relay0.example.org:25", "smtp://relay1.example.org:25", "smtp://relay2.example.org:25"])
    }

    @Test func aFailedRelayRestsThirtySecondsDoublingToFiveMinutes() {
        let clock = Clock()
        let relays = pool(2, downAfter: 100, clock: clock)
        let failing = relays.relays[0]
        #expect((1...6).map { _ in relays.failed(failing).rest } == [30, 60, 120, 240, 300, 300])
        // Meanwhile every new connection goes to the other relay.
        #expect((0..<4).map { _ in relays.pick().index } == [1, 1, 1, 1])
        clock.advance(299)
        #expect(relays.pick().index == 1)
        clock.advance(1)
        #expect((0..<2).map { _ in relays.pick().index }.sorted() == [0, 1])
    }

    @Test func anAnsweredTransactionEndsTheRestAndTheCount() {
        let relays = pool(2)
        let a = relays.relays[0]
        #expect(relays.failed(a).inARow == 1)
        #expect(relays.failed(a).inARow == 2)
        relays.answered(a)
        #expect((0..<4).map { _ in relays.pick().index }.sorted() == [0, 0, 1, 1])
        #expect(relays.failed(a) == RelayPool.Failure(inARow: 1, rest: 30, everyRelayDown: false))
    }

    @Test func theRunIsOverOnlyWhenEveryRelayFailedItsCountInARow() {
        let relays = pool(2, downAfter: 3)
        let (a, b) = (relays.relays[0], relays.relays[1])
        for _ in 0..<5 { #expect(!relays.failed(a).everyRelayDown) }
        #expect(!relays.failed(b).everyRelayDown)
        #expect(!relays.failed(b).everyRelayDown)
        #expect(relays.failed(b).everyRelayDown)
        relays.answered(b)
        #expect(!relays.failed(a).everyRelayDown)
    }

    @Test func whenEveryRelayRestsTheOneWhoseRestEndsFirstIsTriedWithoutWaiting() {
        let relays = pool(3, downAfter: 100)
        let (a, b, c) = (relays.relays[0], relays.relays[1], relays.relays[2])
        _ = relays.failed(a)
        _ = relays.failed(a) // rests 60 s
        _ = relays.failed(b) // rests 30 s
        _ = relays.failed(c)
        _ = relays.failed(c)
        _ = relays.failed(c) // rests 120 s
        #expect(relays.pick().index == 1)
    }

    @Test func oneRelayCountsAsOneServerAlwaysDid() {
        let relays = pool(1, downAfter: 3)
        let only = relays.relays[0]
        #expect(relays.failed(only).everyRelayDown == false)
        #expect(relays.pick().index == 0) // resting, but there is nowhere else to go
        #expect(relays.failed(only).everyRelayDown == false)
        #expect(relays.failed(only) == RelayPool.Failure(inARow: 3, rest: 120, everyRelayDown: true))
    }
}
