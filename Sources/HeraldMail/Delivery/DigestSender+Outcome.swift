import Foundation
import HeraldBase
import HeraldState
import Logging
import Synchronization

extension DigestSender {
    /// What one transfer means for its delivery, and for the run.
    func outcome(
        of reply: SMTPReply, for claim: DeliveryJournal.Claim, message: OutgoingMessage, relay: RelayPool.Relay
    ) -> DeliveryJournal.Outcome {
        let verdict = reply.verdict
        if verdict != .connectionFailed { relays.answered(relay) }
        // A delivery that failed temporarily earlier in this run leaves the "retrying" count when it ends.
        let wasRetrying = shared.withLock { $0.tries[claim.deliveryID] != nil }
        let address = claim.subscriber.address
        switch verdict {
        case .accepted:
            progress.update {
                $0.sent += 1
                if wasRetrying { $0.retrying -= 1 }
            }
            return .sent(messageID: message.messageID, reply: reply.description)
        case .permanent:
            progress.update {
                $0.failed += 1
                if wasRetrying { $0.retrying -= 1 }
            }
            if reply.isBadMailbox {
                logger.warning("\(address): refused, marked bounced: \(reply.description)")
                return .bounced(reply: reply.description)
            }
            logger.warning("\(address): refused: \(reply.description)")
            return .failed(reply: reply.description)
        case .uncertain:
            progress.update {
                $0.uncertain += 1
                if wasRetrying { $0.retrying -= 1 }
            }
            logger.warning("\(address): \(reply.description); the server may have the message: uncertain, not resent")
            return .uncertain(reply: reply.description)
        case .temporary:
            let tries = shared.withLock { s -> Int in
                s.tries[claim.deliveryID, default: 0] += 1
                return s.tries[claim.deliveryID]!
            }
            if tries > configuration.retries {
                progress.update {
                    $0.deferred += 1
                    if wasRetrying { $0.retrying -= 1 }
                }
                logger.notice("\(address): \(reply.description); retries used up, left pending for the next run")
                return .retry(reply: reply.description, retryAt: nil)
            }
            let delay = configuration.backoff.delay(retry: tries)
            if tries == 1 { progress.update { $0.retrying += 1 } }
            logger.info("\(address): \(reply.description); retry \(tries) in \(String(format: "%.1f", delay)) s")
            return .retry(reply: reply.description, retryAt: Date().addingTimeInterval(delay))
        case .connectionFailed:
            let failure = relays.failed(relay)
            var detail = reply.whatFailed
            if reply.timedOut { detail += " within \(relay.options.replyTimeout) s" }
            if relays.relays.count == 1 {
                logger.notice("connection \(failure.inARow) failed: \(detail)")
            } else {
                logger.notice(
                    "connection \(failure.inARow) to \(relay.name) failed: \(detail); new connections avoid it for \(Int(failure.rest)) s")
            }
            if failure.everyRelayDown {
                stop(
                    relays.relays.count == 1
                        ? .deadServer(url: relay.options.url, failures: failure.inARow, detail: detail)
                        : .deadRelays(urls: relays.names, failures: configuration.maxConnectionFailures, detail: detail))
            }
            return .released
        case .stopRun(let problem):
            stop(.smtp(problem, detail: reply.description))
            return .released
        }
    }
}
