import Foundation
import HeraldState
import Logging

extension DigestSender {
    /// One connection: sends one row while the next row's `sending` mark and the previous
    /// row's outcome commit together. The journal therefore holds at most two `sending`
    /// rows of this connection at any time: the one on the wire and the one after it.
    func work(writer: JournalWriter) {
        let subscriptions: any SubscriberStatusReader
        do { subscriptions = try journal.statusReader() } catch {
            stop(.journal("\(error)"))
            return
        }
        var connection: RelayPool.Connection? = nil
        var current: (claim: DeliveryJournal.Claim, marked: JournalWriter.Ticket)? = nil
        var finished: [DeliveryJournal.Change] = [] // outcomes not submitted yet
        var failuresHere = 0
        while true {
            if current == nil {
                // Nothing claimed ahead: commit what is done, then wait for a row.
                if !finished.isEmpty {
                    _ = writer.submit(finished)
                    finished = []
                }
                guard let claim = nextClaim(waiting: true) else { break }
                current = (claim, writer.submit([.sending(claim.deliveryID)]))
            }
            let (claim, marked) = current!
            let upcoming = stopped ? nil : nextClaim(waiting: false)
            if let upcoming { finished.append(.sending(upcoming.deliveryID)) }
            let upcomingMarked = writer.submit(finished)
            finished = []
            let outcome = deliver(claim, marked: marked, on: &connection, subscriptions: subscriptions)
            finished.append(.outcome(claim.deliveryID, outcome))
            current = upcoming.map { ($0, upcomingMarked) }
            if case .notMine = outcome {
                failuresHere = 0
            } else if case .released = outcome, !stopped {
                // A connection-level failure: pause before this thread connects again.
                failuresHere += 1
                let delay = configuration.backoff.delay(retry: failuresHere)
                if delay > 0 { Thread.sleep(forTimeInterval: delay) }
            } else {
                failuresHere = 0
            }
        }
        // This connection's last outcomes are durable before the run reports.
        do { try writer.submit(finished).wait() } catch { stop(.journal(error.description)) }
    }

    /// The next row, or nil when the run is over for this connection. With `waiting`, waits
    /// for rows in flight elsewhere (they may turn into retries) and for backed-off retries.
    private func nextClaim(waiting: Bool) -> DeliveryJournal.Claim? {
        while !stopped {
            do {
                if let claim = try pending.next() { return claim }
            } catch {
                stop(.journal("\(error)"))
                return nil
            }
            guard waiting, waitForMoreWork() else { return nil }
        }
        return nil
    }

    /// Nothing claimable now. Returns false when this connection is done: nothing is
    /// in flight anywhere and no backed-off retry is due in this run.
    private func waitForMoreWork() -> Bool {
        let inFlight = pending.inFlightCount
        let remaining: (claimable: Int, nextRetry: Date?)
        do { remaining = try journal.remaining(digest: digest) } catch {
            stop(.journal("\(error)"))
            return false
        }
        if inFlight == 0 && remaining.claimable == 0 && remaining.nextRetry == nil { return false }
        // Wake for the next retry, or soon, since a row in flight may become a retry.
        let until = min(remaining.nextRetry ?? .distantFuture, Date().addingTimeInterval(0.05))
        let delay = until.timeIntervalSinceNow
        if delay > 0 { Thread.sleep(forTimeInterval: delay) }
        return true
    }

    /// Sends one row; its final "." waits until `marked` (its `sending` mark) is durable.
    private func deliver(
        _ claim: DeliveryJournal.Claim, marked: JournalWriter.Ticket,
        on connection: inout RelayPool.Connection?, subscriptions: any SubscriberStatusReader
    ) -> DeliveryJournal.Outcome {
        // After a stop, a row claimed ahead goes back to pending untouched.
        guard !stopped else { return .released }
        let message: OutgoingMessage
        do { message = try render(claim.subscriber) } catch {
            stop(.render("\(claim.subscriber.address): \(error)"))
            return .released
        }
        if connection == nil {
            do { connection = try relays.connect() } catch {
                stop(.smtp(.configuration, detail: error.description))
                return .released
            }
            if relays.relays.count > 1 { logger.info("\(Thread.current.name ?? "a connection") sends through \(connection!.relay.name)") }
        }
        limiter?.wait()
        // The subscription as committed at this moment, just before MAIL FROM: whoever
        // unsubscribed and was answered before now (herald serve, one-click) is not mailed.
        do {
            // A subscriber row that is gone is no subscription either.
            let status = try subscriptions.status(of: claim.subscriber.id) ?? .unsubscribed
            if status != .active {
                progress.update { $0.skip(status) }
                logger.info("\(claim.subscriber.address): not sent: subscriber is \(status.rawValue)")
                return .skipped(status)
            }
        } catch {
            stop(.journal("\(error)"))
            return .released
        }
        var journalFailure: String? = nil
        var notMine = false
        let reply = connection!.send(message) {
            do {
                notMine = try !marked.wait(marking: claim.deliveryID)
                return !notMine
            } catch {
                journalFailure = "\(error)"
                return false
            }
        }
        if let journalFailure {
            stop(.journal(journalFailure))
            return .released
        }
        if notMine {
            // Its lease ran out here and another sender took the row: it sends it, not this one.
            logger.notice("\(claim.subscriber.address): not sent here: another sender holds it now")
            return .notMine
        }
        let relay = connection!.relay
        // The next message opens a new connection, to whichever relay the pool picks then.
        if reply.verdict == .connectionFailed { connection = nil }
        return outcome(of: reply, for: claim, message: message, relay: relay)
    }
}
