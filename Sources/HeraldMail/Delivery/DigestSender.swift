import Foundation
import HeraldBase
import HeraldConfig
import HeraldState
import Logging
import Synchronization

/// Sends the pending deliveries of one journaled digest over `connections`
/// parallel SMTP connections, one thread each, spread over the relays of `smtp.url`
/// (`RelayPool`), recording every outcome in the journal through one group-committing
/// `JournalWriter` (see `DeliveryJournal`).
///
/// The message for each subscriber comes from `render`, so the sender knows
/// nothing about digests: tests give it hand-made messages, `herald send` gives
/// it `DigestComposer.message(for:)`.
public final class DigestSender: Sendable {
    public typealias Render = @Sendable (Subscriber) throws -> OutgoingMessage

    public struct Configuration: Sendable {
        public var connections: Int
        /// Tries after the first, within one run, for a temporary failure.
        public var retries: Int
        public var backoff: Backoff
        public var rate: Int
        /// Connection-level failures in a row after which the run stops.
        public var maxConnectionFailures: Int

        public init(_ smtp: SMTPSettings) {
            connections = smtp.connections
            retries = smtp.retries
            backoff = Backoff(base: Double(smtp.retryDelay))
            rate = smtp.rate
            maxConnectionFailures = smtp.maxConnectionFailures
        }
    }

    public struct Report: Sendable {
        public let counts: Progress.Counts
        public let stop: Stop?
    }

    let journal: any DeliveryLedger
    let digest: Int
    let relays: RelayPool
    let configuration: Configuration
    let render: Render
    let logger: Logger
    public let progress: Progress

    struct Shared {
        var stop: Stop?
        /// Tries made in this run, per delivery: the per-run retry budget.
        var tries: [Int64: Int] = [:]
    }
    let shared = Mutex(Shared())
    let limiter: RateLimiter?
    let pending: PendingDeliveries

    init(
        journal: any DeliveryLedger, digest: Int, relays: [SMTPConnection.Options], configuration: Configuration,
        total: Int, logger: Logger, render: @escaping Render
    ) {
        self.journal = journal
        self.digest = digest
        self.relays = RelayPool(relays, downAfter: configuration.maxConnectionFailures)
        self.configuration = configuration
        self.render = render
        self.logger = logger
        let progress = Progress(total: total)
        self.progress = progress
        self.limiter = RateLimiter(perSecond: configuration.rate)
        self.pending = PendingDeliveries(journal: journal, digest: digest) { gone in
            progress.update { $0.skip(gone.subscriber.status) }
        }
    }

    /// Builds a sender for `digest` from the publication's SMTP settings.
    public convenience init(
        journal: any DeliveryLedger, digest: Int, smtp: SMTPSettings, baseDirectory: URL,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger, render: @escaping Render
    ) throws(MailConfigError) {
        let relays = try smtp.relayOptions(environment: environment, baseDirectory: baseDirectory)
        let total: Int
        do { total = try journal.counts(digest: digest)[.pending] ?? 0 } catch {
            throw MailConfigError(message: "state database error: \(error)")
        }
        self.init(
            journal: journal, digest: digest, relays: relays, configuration: Configuration(smtp),
            total: total, logger: logger, render: render)
    }

    /// Runs every connection on its own thread; `tick` is called on the calling
    /// thread every `tickInterval` seconds until they are done (progress display).
    public func run(tickInterval: Double = 0.2, tick: (Progress) -> Void = { _ in }) -> Report {
        do { try journal.startRun(digest: digest) } catch { return finish(.journal("\(error)")) }
        let writer = JournalWriter(journal: journal) { [pending] changes in pending.committed(changes) }
        let group = DispatchGroup()
        for index in 0..<max(1, configuration.connections) {
            group.enter()
            let thread = Thread { [self] in
                work(writer: writer)
                group.leave()
            }
            thread.name = "smtp-\(index)"
            thread.start()
        }
        let signals = SignalStop { [self] in stop(.interrupted) }
        while group.wait(timeout: .now() + tickInterval) == .timedOut { tick(progress) }
        withExtendedLifetime(signals) {}
        writer.close()
        tick(progress)
        return finish(journal.endRun(digest: digest).map(Stop.journal))
    }

    private func finish(_ stop: Stop?) -> Report {
        let stop = shared.withLock { s in
            if s.stop == nil { s.stop = stop }
            return s.stop
        }
        return Report(counts: progress.snapshot, stop: stop)
    }

    var stopped: Bool { shared.withLock { $0.stop != nil } }

    func stop(_ reason: Stop) {
        shared.withLock { if $0.stop == nil { $0.stop = reason } }
    }
}
