import Foundation
import Logging
import HeraldBase
import HeraldConfig
import HeraldState

/// Sends the pending deliveries of one journaled digest over `connections`
/// parallel SMTP connections, one thread each, recording every outcome in the
/// journal (see `DeliveryJournal` for the commit discipline).
///
/// The message for each subscriber comes from `render`, so the sender knows
/// nothing about digests: tests give it hand-made messages, `herald send` gives
/// it `DigestComposer.message(for:)`.
public final class DigestSender: Sendable {
    public typealias Render = @Sendable (Subscriber) throws -> OutgoingMessage

    public struct Configuration: Sendable {
        public var connections: Int
        public var batch: Int
        /// Tries after the first, within one run, for a temporary failure.
        public var retries: Int
        public var backoff: Backoff
        public var rate: Int

        public init(_ smtp: SMTPSettings) {
            connections = smtp.connections
            batch = smtp.batch
            retries = smtp.retries
            backoff = Backoff(base: Double(smtp.retryDelay))
            rate = smtp.rate
        }
    }

    /// Why a run ended before every delivery was final.
    public enum Stop: Sendable, CustomStringConvertible {
        case smtp(SMTPReply.RunProblem, detail: String)
        case render(String)
        case journal(String)
        /// SIGTERM or SIGINT: stopped cleanly, the rest stays pending.
        case interrupted

        public var description: String {
            switch self {
            case let .smtp(problem, detail):
                switch problem {
                case .authentication: "SMTP authentication failed: check smtp.username and the password (\(detail))"
                case .tls: "TLS failed: \(detail) (is the server certificate trusted? smtp.ca_file adds a CA)"
                case .unreachable: "cannot connect to the SMTP server: \(detail)"
                case .senderRefused: "the SMTP server refused the sender address (digest.from): \(detail)"
                case .configuration: "libcurl refused the SMTP settings: \(detail)"
                }
            case let .render(detail): "cannot render a digest message: \(detail)"
            case let .journal(detail): "state database error: \(detail)"
            case .interrupted: "stopped by a signal; the deliveries not sent stay pending for the next run"
            }
        }
    }

    public struct Report: Sendable {
        public let counts: Progress.Counts
        public let stop: Stop?
        /// Whether any message got the server's answer (accepted or refused) in this run.
        public let reachedServer: Bool
    }

    private let journal: DeliveryJournal
    private let digest: Int
    private let options: SMTPConnection.Options
    private let configuration: Configuration
    private let render: Render
    private let logger: Logger
    public let progress: Progress

    private struct Shared {
        var stop: Stop?
        var batchesInFlight = 0
        var reachedServer = false
        /// Tries made in this run, per delivery: the per-run retry budget.
        var tries: [Int64: Int] = [:]
    }
    private let shared = Locked(Shared())
    private let limiter: RateLimiter?

    init(journal: DeliveryJournal, digest: Int, options: SMTPConnection.Options, configuration: Configuration,
         total: Int, logger: Logger, render: @escaping Render) {
        self.journal = journal
        self.digest = digest
        self.options = options
        self.configuration = configuration
        self.render = render
        self.logger = logger
        self.progress = Progress(total: total)
        self.limiter = RateLimiter(perSecond: configuration.rate)
    }

    /// Builds a sender for `digest` from the publication's SMTP settings.
    public convenience init(journal: DeliveryJournal, digest: Int, smtp: SMTPSettings, baseDirectory: URL,
                            environment: [String: String] = ProcessInfo.processInfo.environment,
                            logger: Logger, render: @escaping Render) throws(MailConfigError) {
        let options = try smtp.connectionOptions(environment: environment, baseDirectory: baseDirectory)
        let total: Int
        do { total = try journal.counts(digest: digest)[.pending] ?? 0 } catch {
            throw MailConfigError(message: "state database error: \(error)")
        }
        self.init(journal: journal, digest: digest, options: options, configuration: Configuration(smtp),
                  total: total, logger: logger, render: render)
    }

    /// Runs every connection on its own thread; `tick` is called on the calling
    /// thread every `tickInterval` seconds until they are done (progress display).
    public func run(tickInterval: Double = 0.2, tick: (Progress) -> Void = { _ in }) -> Report {
        do { try journal.startRun(digest: digest) } catch { return finish(.journal("\(error)")) }
        let group = DispatchGroup()
        for index in 0..<max(1, configuration.connections) {
            group.enter()
            let thread = Thread { [self] in
                work(connection: index)
                group.leave()
            }
            thread.name = "smtp-\(index)"
            thread.start()
        }
        let signals = SignalStop { [self] in stop(.interrupted) }
        while group.wait(timeout: .now() + tickInterval) == .timedOut { tick(progress) }
        withExtendedLifetime(signals) {}
        tick(progress)
        return finish(nil)
    }

    private func finish(_ stop: Stop?) -> Report {
        let s = shared.withLock { s in
            if s.stop == nil { s.stop = stop }
            return s
        }
        return Report(counts: progress.snapshot, stop: s.stop, reachedServer: s.reachedServer)
    }

    private var stopped: Bool { shared.withLock { $0.stop != nil } }

    private func stop(_ reason: Stop) {
        shared.withLock { if $0.stop == nil { $0.stop = reason } }
    }

    // MARK: - One connection

    private func work(connection index: Int) {
        var connection: SMTPConnection? = nil
        var outcomes: [(deliveryID: Int64, outcome: DeliveryJournal.Outcome)] = []
        // True while this thread holds a batch whose outcomes are not yet committed:
        // an idle thread must not finish while such a batch may still turn into retries.
        var holding = false
        while true {
            if !holding { shared.withLock { $0.batchesInFlight += 1 }; holding = true }
            let claims: [DeliveryJournal.Claim]
            do {
                claims = try journal.settle(outcomes, thenClaim: digest, limit: stopped ? 0 : configuration.batch)
            } catch {
                stop(.journal("\(error)"))
                shared.withLock { $0.batchesInFlight -= 1 }
                return
            }
            outcomes = []
            if claims.isEmpty {
                shared.withLock { $0.batchesInFlight -= 1 }
                holding = false
                guard !stopped, waitForMoreWork() else { return }
                continue
            }
            outcomes = send(claims, on: &connection)
        }
    }

    /// Nothing claimable now. Returns false when this connection is done: nothing is
    /// in flight elsewhere and no backed-off retry is due in this run.
    private func waitForMoreWork() -> Bool {
        let inFlight = shared.withLock { $0.batchesInFlight }
        let remaining: (claimable: Int, nextRetry: Date?)
        do { remaining = try journal.remaining(digest: digest) } catch { stop(.journal("\(error)")); return false }
        if remaining.claimable > 0 { return true }
        if inFlight == 0 && remaining.nextRetry == nil { return false }
        // Wake for the next retry, or soon, since an in-flight batch may add retries.
        let until = min(remaining.nextRetry ?? .distantFuture, Date().addingTimeInterval(0.05))
        let delay = until.timeIntervalSinceNow
        if delay > 0 { Thread.sleep(forTimeInterval: delay) }
        return true
    }

    private func send(_ claims: [DeliveryJournal.Claim], on connection: inout SMTPConnection?)
        -> [(deliveryID: Int64, outcome: DeliveryJournal.Outcome)] {
        var outcomes: [(deliveryID: Int64, outcome: DeliveryJournal.Outcome)] = []
        outcomes.reserveCapacity(claims.count)
        for claim in claims {
            // After a stop, the rest of the batch goes back to pending untouched.
            guard !stopped else { outcomes.append((claim.deliveryID, .released)); continue }
            let message: OutgoingMessage
            do { message = try render(claim.subscriber) } catch {
                stop(.render("\(claim.subscriber.address): \(error)"))
                outcomes.append((claim.deliveryID, .released))
                continue
            }
            if connection == nil {
                do { connection = try SMTPConnection(options) } catch {
                    stop(.smtp(.configuration, detail: error.description))
                    outcomes.append((claim.deliveryID, .released))
                    continue
                }
            }
            limiter?.wait()
            let reply = connection!.send(message)
            outcomes.append((claim.deliveryID, outcome(of: reply, for: claim, message: message)))
        }
        return outcomes
    }

    private func outcome(of reply: SMTPReply, for claim: DeliveryJournal.Claim, message: OutgoingMessage) -> DeliveryJournal.Outcome {
        let verdict = reply.verdict
        // "Reached" means a message got an answer of its own, not just a greeting.
        if verdict == .accepted || verdict == .permanent || reply.code >= 400 && reply.stage != .connect && reply.stage != .greeting {
            shared.withLock { $0.reachedServer = true }
        }
        // A delivery that failed temporarily earlier in this run leaves the "retrying" count when it ends.
        let wasRetrying = shared.withLock { $0.tries[claim.deliveryID] != nil }
        switch verdict {
        case .accepted:
            progress.update { $0.sent += 1; if wasRetrying { $0.retrying -= 1 } }
            return .sent(messageID: message.messageID, reply: reply.description)
        case .permanent:
            progress.update { $0.failed += 1; if wasRetrying { $0.retrying -= 1 } }
            if reply.isBadMailbox {
                logger.warning("\(claim.subscriber.address): refused, marked bounced: \(reply.description)")
                return .bounced(reply: reply.description)
            }
            logger.warning("\(claim.subscriber.address): refused: \(reply.description)")
            return .failed(reply: reply.description)
        case .temporary:
            let tries = shared.withLock { s -> Int in
                s.tries[claim.deliveryID, default: 0] += 1
                return s.tries[claim.deliveryID]!
            }
            if tries > configuration.retries {
                progress.update { $0.deferred += 1; if wasRetrying { $0.retrying -= 1 } }
                logger.notice("\(claim.subscriber.address): \(reply.description); retries used up, left pending for the next run")
                return .retry(reply: reply.description, retryAt: nil)
            }
            let delay = configuration.backoff.delay(retry: tries)
            if tries == 1 { progress.update { $0.retrying += 1 } }
            logger.info("\(claim.subscriber.address): \(reply.description); retry \(tries) in \(String(format: "%.1f", delay)) s")
            return .retry(reply: reply.description, retryAt: Date().addingTimeInterval(delay))
        case .stopRun(let problem):
            stop(.smtp(problem, detail: reply.description))
            return .released
        }
    }
}
