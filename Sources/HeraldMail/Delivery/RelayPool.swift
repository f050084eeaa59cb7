import Foundation
import HeraldBase
import Synchronization

/// The relays of `smtp.url` as the connections of one run share them.
///
/// A new connection goes to the next relay in turn (round robin), so the connections
/// spread evenly. A relay whose connection failed before a transaction began (refused,
/// TLS handshake, no greeting, 421) rests: 30 s after its first failure, doubling with
/// each failure in a row up to 5 minutes; new connections go to the other relays
/// meanwhile, and the first transaction a relay answers ends its rest. When every relay
/// rests, a connection goes to the one whose rest ends first instead of waiting, so with
/// every relay down a run ends as it does with one: once each relay has failed
/// `smtp.max_connection_failures` times in a row.
///
/// The pool only chooses where connections go; what happens to the message that was on a
/// failed connection is the sender's outcome rules (a row released before its end of
/// data goes to another connection, one whose final reply was lost stays `uncertain`).
final class RelayPool: Sendable {
    struct Relay: Sendable {
        /// Its place in `smtp.url`, from 0.
        let index: Int
        let options: SMTPConnection.Options
        /// The relay as logs and messages name it (its URL, any user-info masked).
        var name: String { URLCredentials.redacted(options.url) }
    }

    /// A connection and the relay it was opened to.
    struct Connection {
        let relay: Relay
        let smtp: SMTPConnection

        /// `SMTPConnection.send` on this relay's connection.
        func send(_ message: OutgoingMessage, beforeEnd: (() -> Bool)? = nil) -> SMTPReply {
            smtp.send(message, beforeEnd: beforeEnd)
        }
    }

    /// What one failed connection means for its relay and for the run.
    struct Failure: Sendable, Equatable {
        /// Failed connections in a row on this relay.
        let inARow: Int
        /// Seconds new connections keep away from it.
        let rest: Double
        /// Every relay has failed `downAfter` times in a row: there is nothing left to send through.
        let everyRelayDown: Bool
    }

    /// How long a failing relay is left alone.
    static let restSchedule = Backoff(base: 30, cap: 300, jitter: 0)

    let relays: [Relay]
    private let downAfter: Int
    private let restSchedule: Backoff
    private let clock: @Sendable () -> Date
    private struct State {
        /// The relay the next connection tries first.
        var next = 0
        var failures: [Int]
        var restUntil: [Date]
    }
    private let state: Mutex<State>

    init(
        _ options: [SMTPConnection.Options], downAfter: Int, restSchedule: Backoff = RelayPool.restSchedule,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        precondition(!options.isEmpty, "a relay pool needs a relay (SMTPSettings.relayOptions checks smtp.url)")
        relays = options.enumerated().map { Relay(index: $0.offset, options: $0.element) }
        self.downAfter = max(1, downAfter)
        self.restSchedule = restSchedule
        self.clock = clock
        state = Mutex(
            State(failures: Array(repeating: 0, count: options.count), restUntil: Array(repeating: .distantPast, count: options.count)))
    }

    /// The relay for a new connection: the next one in turn that is not resting, else the
    /// one whose rest ends first.
    func pick() -> Relay {
        let now = clock()
        return state.withLock { s in
            let count = relays.count
            var chosen: Int? = nil
            for step in 0..<count where s.restUntil[(s.next + step) % count] <= now {
                chosen = (s.next + step) % count
                break
            }
            let index = chosen ?? s.restUntil.indices.min { s.restUntil[$0] < s.restUntil[$1] }!
            s.next = (index + 1) % count
            return relays[index]
        }
    }

    /// Opens a connection to the relay `pick` chooses. Nothing goes on the wire yet:
    /// libcurl connects with the first message.
    func connect() throws(CurlEasy.Failure) -> Connection {
        let relay = pick()
        return Connection(relay: relay, smtp: try SMTPConnection(relay.options))
    }

    /// A connection to `relay` failed before a transaction began: it rests.
    func failed(_ relay: Relay) -> Failure {
        let now = clock()
        return state.withLock { s in
            s.failures[relay.index] += 1
            let inARow = s.failures[relay.index]
            let rest = restSchedule.delay(retry: inARow, random: 0)
            s.restUntil[relay.index] = now.addingTimeInterval(rest)
            return Failure(inARow: inARow, rest: rest, everyRelayDown: s.failures.allSatisfy { $0 >= downAfter })
        }
    }

    /// The server at `relay` answered a transaction: its failures in a row, and its rest, end.
    func answered(_ relay: Relay) {
        state.withLock { s in
            s.failures[relay.index] = 0
            s.restUntil[relay.index] = .distantPast
        }
    }

    /// Every relay's name, in the order of `smtp.url`.
    var names: [String] { relays.map(\.name) }
}
