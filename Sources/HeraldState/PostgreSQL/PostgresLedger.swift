import Foundation
import HeraldBase
import PostgresNIO
import Synchronization

/// The delivery journal in a PostgreSQL state, where several `herald send` processes, on one
/// host or several, deliver one digest together. The first to journal a digest creates it and
/// the others join it (`PostgresDigests`); each run registers as a sender and claims rows with
/// a lease that a `LeaseKeeper` renews (`PostgresSenderJournal`). The crash bound stays per
/// process: a sender killed leaves at most two `sending` rows per connection, which become
/// `uncertain` once its lease has run out, and its other claims go to whoever is running.
public final class PostgresLedger: DeliveryLedger, @unchecked Sendable {
    private let state: PostgresState
    /// Seconds a claim holds without renewal (`HERALD_SEND_LEASE`, default 60).
    public let lease: Int
    private let host: String
    private struct Run {
        let sender: PostgresSenderJournal
        let keeper: LeaseKeeper
    }
    private let runs = Mutex<[Int: Run]>([:])
    /// Sessions for the connections' reads (one per thread at a time), so a read before a
    /// message never queues behind another connection's read or the writer's commit.
    private let readers = Mutex<[PostgresSession]>([])

    public static let defaultLease = 60

    public init(state: PostgresState, lease: Int = defaultLease, host: String = ProcessInfo.processInfo.hostName) {
        self.state = state
        self.lease = max(1, lease)
        self.host = host
    }

    /// The lease from `HERALD_SEND_LEASE` (whole seconds), else the default. A value that is
    /// not a positive number is refused rather than guessed at.
    public static func configuredLease(environment: [String: String]) throws(LeaseSetting) -> Int {
        guard let text = environment["HERALD_SEND_LEASE"], !text.isEmpty else { return defaultLease }
        guard let seconds = Int(text), seconds > 0, seconds <= 86_400 else { throw LeaseSetting(value: text) }
        return seconds
    }

    public struct LeaseSetting: ExitStatusError, Sendable {
        public let value: String
        public var description: String {
            "HERALD_SEND_LEASE=\(ControlEscaping.escaped(value)): give the lease of a sender's claims in whole seconds, 1 to 86400"
        }
        public var exitStatus: ExitStatus { .config }
    }

    deinit {
        readers.withLock { sessions in sessions.forEach { $0.close() } }
    }

    private func read<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        let session = try readers.withLock { $0.popLast() } ?? state.newSession()
        defer { readers.withLock { $0.append(session) } }
        return try body(session)
    }

    private func run(_ digest: Int) throws -> Run {
        guard let run = runs.withLock({ $0[digest] }) else { throw Unstarted(digest: digest) }
        if let failure = run.keeper.failed { throw LeaseLost(reason: failure) }
        return run
    }

    struct Unstarted: Error, CustomStringConvertible {
        let digest: Int
        var description: String { "digest #\(digest) is not being sent by this process" }
    }

    struct LeaseLost: Error, CustomStringConvertible {
        let reason: String
        var description: String {
            "cannot renew the lease of this sender's claims (\(reason)); stopping, the other senders take them over"
        }
    }

    // MARK: - Digests

    /// Reading the digests is what `herald digest` and `status` do too.
    private var history: PostgresDigestHistory { PostgresDigestHistory(state: state) }

    public func lastSentDigest() throws -> DigestRecord? { try history.lastSentDigest() }

    public func unfinishedDigest() throws -> DigestRecord? { try history.unfinishedDigest() }

    public func digests() throws -> [DigestRecord] { try history.digests() }

    public func nextDigestNumber() throws -> Int { try history.nextDigestNumber() }

    public func createOrJoin(_ digest: DigestRecord) throws -> DigestCreation {
        switch try PostgresDigests(state: state).create(digest) {
        case .created(let deliveries): .created(deliveries: deliveries)
        case .joined: .joined
        }
    }

    public func activeSubscriberCount() throws -> Int {
        try state.session.query("SELECT COUNT(*) FROM subscribers WHERE status = 'active'").first?.decode(Int.self) ?? 0
    }

    public func activeSubscribers() throws -> [Subscriber] {
        try subscribers(
            "SELECT id, address, name, status, unsubscribe_token FROM subscribers WHERE status = 'active' ORDER BY id")
    }

    public func pendingSubscribers(digest: Int) throws -> [Subscriber] {
        try subscribers(
            """
            SELECT s.id, s.address, s.name, s.status, s.unsubscribe_token
            FROM deliveries d JOIN subscribers s ON s.id = d.subscriber
            WHERE d.digest = \(digest) AND d.status = 'pending' AND s.status = 'active' ORDER BY d.id
            """)
    }

    private func subscribers(_ query: PostgresQuery) throws -> [Subscriber] {
        try state.session.query(query).map { row in
            let (id, address, name, status, token) = try row.decode((Int64, String, String?, String, String?).self)
            return Subscriber(
                id: id, address: EmailAddress(stored: address), name: name,
                status: Subscriber.Status(rawValue: status) ?? .active,
                unsubscribeToken: token.flatMap(SubscriptionToken.init))
        }
    }

    public func counts(digest: Int) throws -> [DeliveryStatus: Int] {
        try Self.counts(state.session, digest: digest)
    }

    static func counts(_ session: PostgresSession, digest: Int) throws -> [DeliveryStatus: Int] {
        var result = Dictionary(uniqueKeysWithValues: DeliveryStatus.allCases.map { ($0, 0) })
        for row in try session.query("SELECT status, COUNT(*) FROM deliveries WHERE digest = \(digest) GROUP BY status") {
            let (status, n) = try row.decode((String, Int).self)
            if let s = DeliveryStatus(rawValue: status) { result[s] = n }
        }
        return result
    }

    public func pendingCount(createdBefore cutoff: Date) throws -> Int {
        try state.session.query(
            """
            SELECT COUNT(*) FROM deliveries
            WHERE status = 'pending' AND digest IN (SELECT number FROM digests WHERE created_at < \(cutoff))
            """
        ).first?.decode(Int.self) ?? 0
    }

    // MARK: - What earlier runs left

    /// Only the `sending` rows whose lease has run out: the others are on the wire at a live
    /// sender. Times are the server's, so the hosts' clocks need not agree.
    public func markInterruptedUncertain(now: Date) throws -> Int {
        try PostgresSenderJournal.expireAbandoned(state: state)
    }

    public func resendUncertain(now: Date) throws -> Int {
        try state.session.query(
            """
            UPDATE deliveries SET status = 'pending', retry_at = NULL, changed_at = now(), claimed_by = NULL, lease_until = NULL
            WHERE status = 'uncertain'
            """
        ).metadata.rows ?? 0
    }

    /// A row another sender holds gives up too: its `sending` mark then does not take.
    public func giveUp(createdBefore cutoff: Date, now: Date) throws -> Int {
        try state.session.query(
            """
            UPDATE deliveries SET status = 'failed', retry_at = NULL, changed_at = now(), claimed_by = NULL, lease_until = NULL,
              last_reply = 'gave up after ' || attempts || ' temporary failures: ' || COALESCE(last_reply, '')
            WHERE status = 'pending' AND digest IN (SELECT number FROM digests WHERE created_at < \(cutoff))
            """
        ).metadata.rows ?? 0
    }

    // MARK: - One run's sending

    /// Registers this process as a sender of `digest` and starts renewing its leases. Rows
    /// deferred to the next run are due again (not the backed-off retries of senders running now).
    public func startRun(digest: Int) throws {
        let sender = try PostgresSenderJournal(state: state, digest: digest, lease: lease, host: host)
        try state.session.query(
            """
            UPDATE deliveries SET retry_at = NULL
            WHERE digest = \(digest) AND status = 'pending' AND retry_at > now() + interval '10 years'
            """)
        let keeper = LeaseKeeper(journal: sender)
        runs.withLock { $0[digest] = Run(sender: sender, keeper: keeper) }
    }

    public func endRun(digest: Int) -> String? {
        guard let run = runs.withLock({ $0.removeValue(forKey: digest) }) else { return nil }
        let failure = run.keeper.stop()
        defer { run.sender.close() }
        do { try run.sender.releaseUnsent() } catch { return "\(error)" }
        return failure.map { LeaseLost(reason: $0).description }
    }

    public func claimable(
        digest: Int, limit: Int, excluding excluded: Set<Int64>, closed: (DeliveryJournal.Claim) -> Void
    ) throws -> [DeliveryJournal.Claim] {
        try run(digest).sender.claim(limit: limit, keeping: true, excluding: excluded, closed: closed)
    }

    /// Every connection's changes belong to the one digest this process sends at a time.
    public func apply(_ changes: [DeliveryJournal.Change]) throws -> Set<Int64> {
        guard let run = runs.withLock({ $0.values.first }) else { throw Unstarted(digest: 0) }
        return try run.sender.apply(changes)
    }

    public func currentStatus(of subscriber: Int64) throws -> Subscriber.Status? {
        try read { session in
            try session.query("SELECT status FROM subscribers WHERE id = \(subscriber)").first
                .flatMap { Subscriber.Status(rawValue: try $0.decode(String.self)) }
        }
    }

    /// A connection of its own for each sender connection (see `PostgresStatusReader`).
    public func statusReader() throws -> any SubscriberStatusReader { try PostgresStatusReader(state: state) }

    public func remaining(digest: Int) throws -> (claimable: Int, nextRetry: Date?) {
        let sender = try run(digest).sender
        return try read { try sender.remaining(on: $0) }
    }
}
