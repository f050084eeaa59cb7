import Foundation
import GRDB

/// The durable record of who got which digest: the only thing that makes
/// "every subscriber gets every digest exactly once" survive crashes and re-runs.
///
/// Discipline: a delivery is marked `sending` in a commit that is durable before the
/// final "." of its message goes out, and its outcome is recorded after the server's
/// answer. A crash leaves `sending` only what may be on the wire; the next start turns
/// those rows into `uncertain` (reported, not resent). The sender pipelines one message
/// per connection (its outcome and the next row's mark share a commit) and a
/// `JournalWriter` group-commits the changes of all connections, so a crash leaves at
/// most two `sending` rows per connection and no connection pays a commit per message.
public struct DeliveryJournal: Sendable, DeliveryLedger {
    let database: StateDatabase
    public init(database: StateDatabase) { self.database = database }

    /// A pending row a worker now owns (marked `sending`).
    public struct Claim: Sendable {
        public let deliveryID: Int64
        public let subscriber: Subscriber
        /// Attempts made before this one, in all runs.
        public let attempts: Int
    }

    public enum Outcome: Sendable {
        /// The server accepted the message.
        case sent(messageID: String, reply: String)
        /// Permanent refusal (5xx): never retried.
        case failed(reply: String)
        /// Permanent refusal of the address itself (5.1.x): failed, and the subscriber
        /// becomes `bounced`, so later digests are not sent to it.
        case bounced(reply: String)
        /// Temporary failure: pending again, claimable from `retryAt`
        /// (nil: no more tries in this run; the next run tries again).
        case retry(reply: String, retryAt: Date?)
        /// Never reached the server (the run stopped first): pending again, no attempt counted.
        case released
        /// Not sent: the subscriber left (`unsubscribed`, `bounced`) after the row was
        /// taken and before its message started. Closed as `failed`, no attempt counted,
        /// as the rows of subscribers who had already left are when they are read.
        case skipped(Subscriber.Status)
        /// The whole message went out and the server's answer did not come back (timeout,
        /// dropped connection): it may have the message. Final, never resent on its own.
        case uncertain(reply: String)
        /// Not sent: the row's `sending` mark did not take, because another sender holds the
        /// row now (its lease had run out here). Nothing to record: it is the other's.
        case notMine
    }

    /// One change the sender's connections submit to the `JournalWriter`.
    public enum Change: Sendable {
        /// The row is about to be sent: durable before the final "." of its message.
        case sending(Int64)
        case outcome(Int64, Outcome)
    }

    // A pending row with this retry time waits for the next run.
    static let nextRun = Date.distantFuture

    // MARK: - Start of a run

    /// Rows left `sending` by a run that died: the server may have accepted them.
    /// Returns how many became `uncertain`.
    public func markInterruptedUncertain(now: Date = Date()) throws -> Int {
        try database.pool.write { db in
            try db.execute(
                sql: """
                    UPDATE deliveries SET status = 'uncertain', changed_at = ?,
                      last_reply = COALESCE(last_reply || ' / ', '') || 'interrupted while sending'
                    WHERE status = 'sending'
                    """, arguments: [now])
            return db.changesCount
        }
    }

    /// `--resend-uncertain`: the operator accepts a possible duplicate.
    public func resendUncertain(now: Date = Date()) throws -> Int {
        try database.pool.write { db in
            try db.execute(
                sql: "UPDATE deliveries SET status = 'pending', retry_at = NULL, changed_at = ? WHERE status = 'uncertain'",
                arguments: [now])
            return db.changesCount
        }
    }

    /// Pending rows that kept failing temporarily since a digest older than `cutoff`
    /// was created become `failed`, so one dead mailbox cannot hold back every later digest.
    public func giveUp(createdBefore cutoff: Date, now: Date = Date()) throws -> Int {
        try database.pool.write { db in
            try db.execute(
                sql: """
                    UPDATE deliveries SET status = 'failed', retry_at = NULL, changed_at = ?,
                      last_reply = 'gave up after ' || attempts || ' temporary failures: ' || COALESCE(last_reply, '')
                    WHERE status = 'pending' AND digest IN (SELECT number FROM digests WHERE created_at < ?)
                    """, arguments: [now, cutoff])
            return db.changesCount
        }
    }

    // MARK: - Digests

    /// The newest digest in the journal. A digest is journaled together with one
    /// pending delivery per active subscriber in a single transaction, so once it
    /// exists it counts as sent for the digest selection: its posts are never put
    /// in a later digest. Deliveries it still owes are resumed by `unfinishedDigest`
    /// before any new digest is created.
    public func lastSentDigest() throws -> DigestRecord? {
        try database.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM digests ORDER BY number DESC LIMIT 1").map(Self.digest)
        }
    }

    /// The oldest digest that still has pending deliveries.
    /// Every digest journaled, newest first (the archive's index).
    public func digests() throws -> [DigestRecord] {
        try database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM digests ORDER BY number DESC").map(Self.digest)
        }
    }

    public func unfinishedDigest() throws -> DigestRecord? {
        try database.pool.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT * FROM digests WHERE number IN (SELECT digest FROM deliveries WHERE status IN ('pending','sending'))
                    ORDER BY number LIMIT 1
                    """
            ).map(Self.digest)
        }
    }

    public func nextDigestNumber() throws -> Int {
        try database.pool.read { db in (try Int.fetchOne(db, sql: "SELECT MAX(number) FROM digests") ?? 0) + 1 }
    }

    /// One sender per publication (`SendLock`): the number is never taken by another.
    public func createOrJoin(_ digest: DigestRecord) throws -> DigestCreation {
        .created(deliveries: try create(digest))
    }

    public func activeSubscriberCount() throws -> Int { try SubscriberStore(database: database).count(.active) }

    public func activeSubscribers() throws -> [Subscriber] {
        try database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM subscribers WHERE status = 'active' ORDER BY id").map(SubscriberStore.subscriber)
        }
    }

    /// Journals the digest and one pending delivery per active subscriber, atomically.
    /// Returns the number of deliveries created.
    @discardableResult
    public func create(_ digest: DigestRecord) throws -> Int {
        let ids = String(decoding: try JSONEncoder().encode(digest.postIDs), as: UTF8.self)
        return try database.pool.write { db in
            try db.execute(
                sql: "INSERT INTO digests (number, post_ids, subject, created_at, newest_post_date) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    digest.number, ids, digest.subject, digest.createdAt,
                    digest.newestPostDate.timeIntervalSinceReferenceDate,
                ])
            try db.execute(
                sql: """
                    INSERT INTO deliveries (digest, subscriber, status, attempts, created_at, changed_at)
                    SELECT ?, id, 'pending', 0, ?, ? FROM subscribers WHERE status = 'active' ORDER BY id
                    """, arguments: [digest.number, digest.createdAt, digest.createdAt])
            return db.changesCount
        }
    }

    static func digest(_ row: Row) -> DigestRecord {
        let ids = (try? JSONDecoder().decode([String].self, from: Data((row["post_ids"] as String).utf8))) ?? []
        return DigestRecord(
            number: row["number"], postIDs: ids, subject: row["subject"],
            createdAt: row["created_at"],
            newestPostDate: Date(timeIntervalSinceReferenceDate: row["newest_post_date"]))
    }

    // MARK: - Sending

    /// A new run gives every pending row its full retry budget again.
    public func startRun(digest: Int) throws {
        try database.pool.write { db in
            try db.execute(sql: "UPDATE deliveries SET retry_at = NULL WHERE digest = ? AND status = 'pending'", arguments: [digest])
        }
    }

    /// Nothing to give back: the connections' last outcomes are committed before a run ends.
    public func endRun(digest: Int) -> String? { nil }

    /// Takes up to `limit` pending rows whose retry time has come and marks them
    /// `sending` (what the sender does one row at a time, for tests and tools).
    public func claim(digest: Int, limit: Int, now: Date = Date()) throws -> [Claim] {
        let claims = try claimable(digest: digest, limit: limit, excluding: [], now: now)
        _ = try apply(claims.map { .sending($0.deliveryID) }, now: now)
        return claims
    }

    /// Applies `changes` in one transaction: one commit for every connection's marks and
    /// outcomes queued since the last one. Marks go first: a row's outcome can share a
    /// commit with its own mark (a transfer that failed early), never with a later mark.
    /// Returns the rows whose mark did not take (no longer pending): not to be sent.
    @discardableResult
    public func apply(_ changes: [Change], now: Date) throws -> Set<Int64> {
        guard !changes.isEmpty else { return [] }
        return try database.pool.write { db in
            let stamp = DatabaseTime.value(now) // formatted once per commit, not per row
            let sending = try db.cachedStatement(
                sql: "UPDATE deliveries SET status = 'sending', changed_at = ? WHERE id = ? AND status = 'pending'")
            var outcomes: [(deliveryID: Int64, outcome: Outcome)] = []
            var refused: Set<Int64> = []
            for change in changes {
                switch change {
                case .sending(let id):
                    try sending.execute(arguments: [stamp, id])
                    if db.changesCount == 0 { refused.insert(id) }
                case .outcome(let id, let outcome): outcomes.append((id, outcome))
                }
            }
            try Self.record(db, outcomes, stamp: stamp)
            return refused
        }
    }

    @discardableResult
    public func apply(_ changes: [Change]) throws -> Set<Int64> { try apply(changes, now: Date()) }

    public func claimable(digest: Int, limit: Int, excluding excluded: Set<Int64>, closed: (Claim) -> Void) throws -> [Claim] {
        try claimable(digest: digest, limit: limit, excluding: excluded, now: Date(), closed: closed)
    }

    public func remaining(digest: Int) throws -> (claimable: Int, nextRetry: Date?) { try remaining(digest: digest, now: Date()) }

    /// Up to `limit` pending rows claimable now, in order, leaving out `excluded` (rows a
    /// connection holds but has not marked yet). They are not marked: the sender marks
    /// each one just before sending it. Rows of subscribers who left since the digest was
    /// journaled are closed as `failed` here instead of being returned.
    /// `closed` is told each row closed that way.
    public func claimable(
        digest: Int, limit: Int, excluding excluded: Set<Int64>, now: Date = Date(),
        closed: (Claim) -> Void = { _ in }
    ) throws -> [Claim] {
        // Read from a snapshot beside the writer, so the commits of the connections' marks
        // and outcomes do not wait for it; a write only when a subscriber has left.
        let stamp = DatabaseTime.value(now)
        let rows = try database.pool.read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT d.id AS delivery, d.attempts, s.id, s.address, s.name, s.status, s.unsubscribe_token
                        FROM deliveries d JOIN subscribers s ON s.id = d.subscriber
                        WHERE d.digest = ? AND d.status = 'pending' AND (d.retry_at IS NULL OR d.retry_at <= ?)
                        ORDER BY d.id LIMIT ?
                        """), arguments: [digest, stamp, limit + excluded.count]
            )
            .compactMap { row -> Claim? in
                let id: Int64 = row["delivery"]
                guard !excluded.contains(id) else { return nil }
                return Claim(deliveryID: id, subscriber: SubscriberStore.subscriber(row), attempts: row["attempts"])
            }
        }
        let gone = rows.filter { $0.subscriber.status != .active }
        if !gone.isEmpty {
            try database.pool.write { db in
                let close = try db.cachedStatement(
                    sql: """
                        UPDATE deliveries SET status = 'failed', last_reply = 'not sent: subscriber is ' || ?, changed_at = ?
                        WHERE id = ? AND status = 'pending'
                        """)
                for claim in gone { try close.execute(arguments: [claim.subscriber.status.rawValue, stamp, claim.deliveryID]) }
            }
            gone.forEach(closed)
        }
        return rows.filter { $0.subscriber.status == .active }
    }

    /// The subscriber's status as committed now: read by the sender just before each
    /// message starts, so an unsubscribe acknowledged before that moment is never mailed.
    /// nil when the subscriber row is gone.
    public func currentStatus(of subscriber: Int64) throws -> Subscriber.Status? {
        // One SELECT is its own read transaction in SQLite (autocommit): no BEGIN/COMMIT
        // around it, which would cost more than the read on every message.
        try database.pool.unsafeRead { db in
            try String.fetchOne(db.cachedStatement(sql: "SELECT status FROM subscribers WHERE id = ?"), arguments: [subscriber])
                .flatMap(Subscriber.Status.init(rawValue:))
        }
    }

    /// Pending deliveries of digests created before `cutoff`: mail stuck for too long.
    public func pendingCount(createdBefore cutoff: Date) throws -> Int {
        try database.pool.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM deliveries
                    WHERE status = 'pending' AND digest IN (SELECT number FROM digests WHERE created_at < ?)
                    """, arguments: [cutoff]) ?? 0
        }
    }

    /// Records the outcomes of claimed rows in one commit.
    public func record(_ outcomes: [(deliveryID: Int64, outcome: Outcome)], now: Date = Date()) throws {
        _ = try apply(outcomes.map { .outcome($0.deliveryID, $0.outcome) }, now: now)
    }

    /// `stamp`: the commit's time, formatted once per commit (DateFormatter is slow).
    private static func record(_ db: Database, _ outcomes: [(deliveryID: Int64, outcome: Outcome)], stamp now: DatabaseValue) throws {
        guard !outcomes.isEmpty else { return }
        let sent = try db.cachedStatement(
            sql: """
                UPDATE deliveries SET status = 'sent', attempts = attempts + 1, message_id = ?, last_reply = ?,
                  retry_at = NULL, changed_at = ? WHERE id = ? AND status = 'sending'
                """)
        let failed = try db.cachedStatement(
            sql: """
                UPDATE deliveries SET status = 'failed', attempts = attempts + 1, last_reply = ?, retry_at = NULL,
                  changed_at = ? WHERE id = ? AND status = 'sending'
                """)
        let retry = try db.cachedStatement(
            sql: """
                UPDATE deliveries SET status = 'pending', attempts = attempts + 1, last_reply = ?, retry_at = ?,
                  changed_at = ? WHERE id = ? AND status = 'sending'
                """)
        let skip = try db.cachedStatement(
            sql: """
                UPDATE deliveries SET status = 'failed', last_reply = 'not sent: subscriber is ' || ?, retry_at = NULL,
                  changed_at = ? WHERE id = ? AND status = 'sending'
                """)
        let release = try db.cachedStatement(
            sql: "UPDATE deliveries SET status = 'pending', changed_at = ? WHERE id = ? AND status = 'sending'")
        let uncertain = try db.cachedStatement(
            sql: """
                UPDATE deliveries SET status = 'uncertain', attempts = attempts + 1, last_reply = ?, retry_at = NULL,
                  changed_at = ? WHERE id = ? AND status = 'sending'
                """)
        let bounce = try db.cachedStatement(
            sql: """
                UPDATE subscribers SET status = 'bounced', changed_at = ?
                WHERE id = (SELECT subscriber FROM deliveries WHERE id = ?) AND status = 'active'
                """)
        for (id, outcome) in outcomes {
            switch outcome {
            case .sent(let messageID, let reply): try sent.execute(arguments: [messageID, reply, now, id])
            case .failed(let reply): try failed.execute(arguments: [reply, now, id])
            case .bounced(let reply):
                try failed.execute(arguments: [reply, now, id])
                try bounce.execute(arguments: [now, id])
            case .retry(let reply, let at): try retry.execute(arguments: [reply, at ?? nextRun, now, id])
            case .released: try release.execute(arguments: [now, id])
            case .skipped(let status): try skip.execute(arguments: [status.rawValue, now, id])
            case .uncertain(let reply): try uncertain.execute(arguments: [reply, now, id])
            case .notMine: break
            }
        }
    }

    /// What is left of a digest in this run: rows claimable now, and the earliest
    /// time a backed-off row becomes claimable (nil: none waiting in this run).
    public func remaining(digest: Int, now: Date = Date()) throws -> (claimable: Int, nextRetry: Date?) {
        try database.pool.read { db in
            let claimable =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM deliveries WHERE digest = ? AND status = 'pending' AND (retry_at IS NULL OR retry_at <= ?)
                        """, arguments: [digest, now]) ?? 0
            let next = try Date.fetchOne(
                db,
                sql: """
                    SELECT MIN(retry_at) FROM deliveries WHERE digest = ? AND status = 'pending' AND retry_at > ? AND retry_at < ?
                    """, arguments: [digest, now, Self.nextRun])
            return (claimable, next)
        }
    }

    /// Subscribers a digest still owes a message to (for `--dry-run` of a resumed digest).
    public func pendingSubscribers(digest: Int) throws -> [Subscriber] {
        try database.pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT s.* FROM deliveries d JOIN subscribers s ON s.id = d.subscriber
                    WHERE d.digest = ? AND d.status = 'pending' AND s.status = 'active' ORDER BY d.id
                    """, arguments: [digest]
            ).map(SubscriberStore.subscriber)
        }
    }

    public func counts(digest: Int) throws -> [DeliveryStatus: Int] {
        try database.pool.read { db in try Self.counts(db, digest: digest) }
    }

    static func counts(_ db: Database, digest: Int) throws -> [DeliveryStatus: Int] {
        var result = Dictionary(uniqueKeysWithValues: DeliveryStatus.allCases.map { ($0, 0) })
        for row in try Row.fetchAll(
            db, sql: "SELECT status, COUNT(*) AS n FROM deliveries WHERE digest = ? GROUP BY status",
            arguments: [digest])
        {
            if let s = DeliveryStatus(rawValue: row["status"]) { result[s] = row["n"] }
        }
        return result
    }
}
