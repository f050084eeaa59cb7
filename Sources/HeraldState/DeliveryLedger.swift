import Foundation

/// What a send needs from the delivery journal, whichever database holds it: the SQLite
/// `DeliveryJournal` (one sender per publication, behind `SendLock`) or the PostgreSQL
/// `PostgresLedger` (several senders on one digest, each row claimed with a lease).
///
/// The discipline is the same for both (see `DeliveryJournal`): a row is marked `sending`
/// in a durable commit before the final "." of its message, its outcome is recorded after
/// the server's answer, and a run that died leaves only its `sending` rows, which become
/// `uncertain`: at most two per connection of the process that died.
public protocol DeliveryLedger: DigestHistory {
    // MARK: Digests (and those of `DigestHistory`)

    /// Journals `digest` with one pending delivery per active subscriber, atomically, or
    /// joins it when another sender journaled the same number first.
    func createOrJoin(_ digest: DigestRecord) throws -> DigestCreation
    /// How many subscribers a new digest would be journaled for (the active ones).
    func activeSubscriberCount() throws -> Int
    /// The active subscribers, in journal order (`--dry-run` of a new digest).
    func activeSubscribers() throws -> [Subscriber]
    /// Subscribers a digest still owes a message to (`--dry-run` of a resumed digest).
    func pendingSubscribers(digest: Int) throws -> [Subscriber]
    func counts(digest: Int) throws -> [DeliveryStatus: Int]
    /// Pending deliveries of digests created before `cutoff`: mail stuck for too long.
    func pendingCount(createdBefore cutoff: Date) throws -> Int

    // MARK: What earlier runs left

    /// Rows left `sending` by a run that died become `uncertain`; returns how many.
    func markInterruptedUncertain(now: Date) throws -> Int
    /// `--resend-uncertain`: the operator accepts a possible duplicate.
    func resendUncertain(now: Date) throws -> Int
    /// Pending rows of digests created before `cutoff` become `failed`.
    func giveUp(createdBefore cutoff: Date, now: Date) throws -> Int

    // MARK: One run's sending

    /// Starts this process's run on `digest`: every row deferred to the next run is due
    /// again, and (PostgreSQL) the sender is registered and its leases kept alive.
    func startRun(digest: Int) throws
    /// Ends it: (PostgreSQL) rows claimed and not sent go back to the other senders.
    /// Returns a problem that should end the run in error (a lease that could not be renewed).
    func endRun(digest: Int) -> String?
    /// Up to `limit` rows this run may send now, in order, leaving out `excluded` (rows a
    /// connection holds but has not marked yet). Rows of subscribers who left are closed
    /// as `failed` instead, and `closed` is told each of them.
    func claimable(
        digest: Int, limit: Int, excluding excluded: Set<Int64>, closed: (DeliveryJournal.Claim) -> Void
    ) throws -> [DeliveryJournal.Claim]
    /// Applies marks and outcomes in one durable commit, marks first. Returns the rows whose
    /// `sending` mark did not take: they are not this run's any more and must not be sent.
    func apply(_ changes: [DeliveryJournal.Change]) throws -> Set<Int64>
    /// The subscriber's status as committed now (nil: the row is gone), read just before
    /// each message starts.
    func currentStatus(of subscriber: Int64) throws -> Subscriber.Status?
    /// What one sender connection (one thread) reads `currentStatus` through; a backend
    /// may give each connection a reader of its own that is cheaper per message.
    func statusReader() throws -> any SubscriberStatusReader
    /// What is left for this run: rows it may take now or must wait for (rows in flight at
    /// other senders may come back), and the earliest backed-off retry in this run.
    func remaining(digest: Int) throws -> (claimable: Int, nextRetry: Date?)
}

/// What journaling a digest did.
public enum DigestCreation: Sendable, Equatable {
    /// This sender journaled it, with this many deliveries.
    case created(deliveries: Int)
    /// Another sender journaled the same number first: send what it owes.
    case joined
}

/// Reads a subscriber's status as committed at this moment, for one sender connection
/// just before each message starts. Used by one thread.
public protocol SubscriberStatusReader: AnyObject {
    func status(of subscriber: Int64) throws -> Subscriber.Status?
}

extension DeliveryLedger {
    public func statusReader() throws -> any SubscriberStatusReader { LedgerStatusReader(ledger: self) }
}

/// The plain way: each read asks the ledger.
final class LedgerStatusReader: SubscriberStatusReader {
    let ledger: any DeliveryLedger
    init(ledger: any DeliveryLedger) { self.ledger = ledger }
    func status(of subscriber: Int64) throws -> Subscriber.Status? { try ledger.currentStatus(of: subscriber) }
}
