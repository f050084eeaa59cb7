import Foundation
import HeraldBase
import HeraldConfig
import PostgresNIO
import Synchronization

/// One sender's share of a digest in a PostgreSQL state, where several senders (processes
/// or hosts) deliver the same digest together.
///
/// A sender claims pending rows (`FOR UPDATE SKIP LOCKED`: two senders never take the same
/// row, and neither waits for the other), each claim with a lease it renews while alive.
/// Before the final "." of a message its row is marked `sending` in a durable commit that
/// succeeds only while the claim is still its own: a row another sender took over after the
/// lease ran out is not marked, so it is not sent twice. A sender that dies leaves its
/// pending claims to the others once the lease has run out, and its `sending` rows (at most
/// two per connection, as with SQLite) become `uncertain`, never resent on their own.
/// Times are the server's clock, so the hosts' clocks need not agree.
public final class PostgresSenderJournal: @unchecked Sendable {
    public let id: String
    public let digest: Int
    /// Seconds a claim holds without renewal.
    public let lease: Int
    /// Claims, renewals and releases.
    private let session: PostgresSession
    /// The writer's commits of marks and outcomes, on a connection of their own: a commit
    /// never waits behind a claim (which the connections wait for), nor a claim behind it.
    private let commits: PostgresSession

    /// Registers a sender for `digest` on its own connection.
    public init(state: PostgresState, digest: Int, lease: Int = 60, host: String = ProcessInfo.processInfo.hostName) throws {
        let pid = Int(ProcessInfo.processInfo.processIdentifier)
        id = "\(host):\(pid):\(SubscriptionToken.random().description.prefix(8))"
        self.digest = digest
        self.lease = lease
        session = try state.newSession()
        commits = try state.newSession()
        // Its one statement is planned once: the generic plan looks each row up by its key
        // (checked in `PostgresSenderJournalTests`), where planning it anew for each commit
        // cost the server twice what running it did.
        try commits.setSession("SET plan_cache_mode = force_generic_plan")
        try session.query(
            """
            INSERT INTO senders (id, digest, host, pid, started_at, seen_at)
            VALUES (\(id), \(digest), \(host), \(pid), now(), now())
            """)
    }

    /// Takes up to `limit` claimable rows: pending, due, and unclaimed or with a lease run out;
    /// with `keeping`, also the rows this sender claimed before and has not marked (a refreshed
    /// read of what it holds), less `excluded`. Rows of subscribers who left since the digest
    /// was journaled are closed as `failed`, and `closed` is told each of them.
    public func claim(
        limit: Int, keeping: Bool = false, excluding excluded: Set<Int64> = [],
        closed: (DeliveryJournal.Claim) -> Void = { _ in }
    ) throws -> [DeliveryJournal.Claim] {
        // What this sender holds comes from memory, and only its subscribers' statuses are read
        // again: reading the held rows back (ten times a second) cost the server more than
        // the sending itself. A held row that stopped being this sender's meanwhile (given up
        // by another command) is refused at its mark, as before. Only the shortfall is claimed.
        var held = keeping ? holding.withLock { $0.current(excluding: excluded) } : []
        if held.count > limit { held.removeLast(held.count - limit) }
        let gone = try left(held)
        held.removeAll { gone[$0.deliveryID] != nil }
        let wanted = limit - held.count
        // What this sender already holds is not claimed again: a held row whose lease ran
        // out (the keeper stalled) would otherwise come back a second time, beside itself.
        let holdingIDs = holding.withLock { Set($0.claims.map(\.deliveryID)) }
        let taken = wanted <= 0 ? [] : try claimNew(wanted, excluding: excluded.union(holdingIDs))
        holding.withLock { $0.add(taken) }
        let newlyGone = taken.filter { $0.subscriber.status != .active }
        if !newlyGone.isEmpty { try close(newlyGone.map(\.deliveryID)) }
        for claim in gone.values.sorted(by: { $0.deliveryID < $1.deliveryID }) + newlyGone {
            holding.withLock { $0.consumed.insert(claim.deliveryID) }
            closed(claim)
        }
        return held + taken.filter { $0.subscriber.status == .active }
    }

    /// The claimed rows of `held` whose subscriber is no longer active, closed as `failed`,
    /// by delivery, with the subscriber's status now.
    private func left(_ held: [DeliveryJournal.Claim]) throws -> [Int64: DeliveryJournal.Claim] {
        guard !held.isEmpty else { return [:] }
        var statuses: [Int64: Subscriber.Status] = [:]
        for row in try session.query(
            "SELECT id, status FROM subscribers WHERE id = ANY(\(held.map(\.subscriber.id))::bigint[]) AND status <> 'active'")
        {
            let (id, status) = try row.decode((Int64, String).self)
            statuses[id] = Subscriber.Status(rawValue: status) ?? .unsubscribed
        }
        guard !statuses.isEmpty else { return [:] }
        var gone: [Int64: DeliveryJournal.Claim] = [:]
        for claim in held {
            guard let status = statuses[claim.subscriber.id] else { continue }
            let was = claim.subscriber
            let subscriber = Subscriber(
                id: was.id, address: was.address, name: was.name, status: status, unsubscribeToken: was.unsubscribeToken)
            gone[claim.deliveryID] = DeliveryJournal.Claim(deliveryID: claim.deliveryID, subscriber: subscriber, attempts: claim.attempts)
        }
        try close(Array(gone.keys))
        return gone
    }

    /// Closes claimed rows whose subscriber left as `failed`, saying why.
    private func close(_ deliveries: [Int64]) throws {
        try session.query(
            """
            UPDATE deliveries d SET status = 'failed', changed_at = now(), claimed_by = NULL, lease_until = NULL,
              last_reply = 'not sent: subscriber is ' || s.status
            FROM subscribers s
            WHERE d.id = ANY(\(deliveries)::bigint[]) AND d.status = 'pending' AND s.id = d.subscriber
            """)
    }

    /// Claims up to `wanted` rows no live sender holds. The rows and their subscribers are
    /// reached through arrays of ids, so the server looks each up by its key whatever its
    /// statistics say (with every row still pending at the start of a send, it hashed both
    /// whole tables for each claim).
    private func claimNew(_ wanted: Int, excluding excluded: Set<Int64>) throws -> [DeliveryJournal.Claim] {
        try session.query(
            """
            WITH picked AS (
              SELECT id FROM deliveries
              WHERE digest = \(digest) AND status = 'pending' AND (retry_at IS NULL OR retry_at <= now())
                AND (claimed_by IS NULL OR lease_until IS NULL OR lease_until < now())
                AND id <> ALL(\(Array(excluded))::bigint[])
              ORDER BY id LIMIT \(wanted) FOR UPDATE SKIP LOCKED),
            taken AS (
              UPDATE deliveries d SET claimed_by = \(id), lease_until = now() + make_interval(secs => \(lease))
              WHERE d.id = ANY(ARRAY(SELECT id FROM picked)) RETURNING d.id, d.attempts, d.subscriber)
            SELECT t.id, t.attempts, s.id, s.address, s.name, s.status, s.unsubscribe_token
            FROM taken t JOIN subscribers s ON s.id = t.subscriber
            WHERE s.id = ANY(ARRAY(SELECT subscriber FROM taken)) ORDER BY t.id
            """
        ).map(Self.claim)
    }

    /// The rows this sender claimed and has not marked or closed, in order: what a refresh
    /// hands out again. A row leaves it as soon as a change of it goes to the database.
    private struct Holding {
        var claims: [DeliveryJournal.Claim] = []
        var consumed = Set<Int64>()

        mutating func add(_ taken: [DeliveryJournal.Claim]) {
            claims.append(contentsOf: taken)
            claims.sort { $0.deliveryID < $1.deliveryID }
        }

        mutating func current(excluding excluded: Set<Int64>) -> [DeliveryJournal.Claim] {
            if !consumed.isEmpty {
                claims.removeAll { consumed.contains($0.deliveryID) }
                consumed.removeAll(keepingCapacity: true)
            }
            return claims.filter { !excluded.contains($0.deliveryID) }
        }
    }
    private let holding = Mutex(Holding())

    private static func claim(_ row: PostgresRow) throws -> DeliveryJournal.Claim {
        let (delivery, attempts, subscriberID, address, name, status, token) =
            try row.decode((Int64, Int, Int64, String, String?, String, String?).self)
        let subscriber = Subscriber(
            id: subscriberID, address: EmailAddress(stored: address), name: name,
            status: Subscriber.Status(rawValue: status) ?? .active,
            unsubscribeToken: token.flatMap(SubscriptionToken.init))
        return DeliveryJournal.Claim(deliveryID: delivery, subscriber: subscriber, attempts: attempts)
    }

    /// Marks claimed rows `sending`, durably, before their messages go out. Returns the rows
    /// marked: a row missing from it is no longer this sender's (its lease ran out and another
    /// sender took it) or no longer pending, and must not be sent.
    public func mark(_ deliveries: [Int64]) throws -> Set<Int64> {
        Set(deliveries).subtracting(try apply(deliveries.map { .sending($0) }))
    }

    /// Records outcomes in one commit. A row this sender marked is its own to close, even
    /// if another sender had meanwhile declared it `uncertain` (this sender was thought dead):
    /// the server's answer is better knowledge than a guess.
    public func record(_ outcomes: [(deliveryID: Int64, outcome: DeliveryJournal.Outcome)]) throws {
        _ = try apply(outcomes.map { .outcome($0.deliveryID, $0.outcome) })
    }

    /// Marks and outcomes of every connection in one commit, marks first, whatever their
    /// number (the rows travel as arrays): the commit costs one round trip, not one per row.
    /// Returns the rows whose mark did not take (see `mark`).
    public func apply(_ changes: [DeliveryJournal.Change]) throws -> Set<Int64> {
        var marks: [Int64] = []
        var closing = Closing()
        var bounced: [Int64] = []
        for change in changes {
            switch change {
            case .sending(let delivery): marks.append(delivery)
            case .outcome(let delivery, let outcome):
                switch outcome {
                case .sent(let messageID, let reply): closing.add(delivery, "sent", counts: true, reply: reply, messageID: messageID)
                case .failed(let reply): closing.add(delivery, "failed", counts: true, reply: reply)
                case .bounced(let reply):
                    closing.add(delivery, "failed", counts: true, reply: reply)
                    bounced.append(delivery)
                case .uncertain(let reply): closing.add(delivery, "uncertain", counts: true, reply: reply)
                case .skipped(let status):
                    closing.add(delivery, "failed", counts: false, reply: "not sent: subscriber is \(status.rawValue)")
                case .retry(let reply, let at):
                    // Pending again and unclaimed: whichever sender is free takes it when it is due.
                    closing.add(delivery, "pending", counts: true, reply: reply, retryAt: at ?? DeliveryJournal.nextRun)
                case .released: closing.add(delivery, "pending", counts: false, reply: "")
                case .notMine: break
                }
            }
        }
        guard !marks.isEmpty || !closing.ids.isEmpty else { return [] }
        holding.withLock {
            $0.consumed.formUnion(marks)
            $0.consumed.formUnion(closing.ids)
        }
        var refused = Set(marks)
        // Marks and outcomes of different rows (the usual commit: the next row's mark, the
        // previous row's outcome) go in one statement, which commits on its own: one round
        // trip. A row with both (a transfer that failed before its end) takes its mark first.
        if refused.isDisjoint(with: closing.ids) {
            for row in try commits.execute(Self.change, arguments(marks: marks, closing: closing, bounced: bounced)) {
                refused.remove(try marked(row))
            }
            return refused
        }
        return try commits.transaction { s in
            for row in try s.execute(Self.change, arguments(marks: marks, closing: Closing(), bounced: [])) {
                refused.remove(try marked(row))
            }
            try s.execute(Self.change, arguments(marks: [], closing: closing, bounced: bounced))
            return refused
        }
    }

    /// One statement that marks `$3` (returning those that took), closes the rows of the
    /// arrays `$4`…`$9` and bounces the subscribers of `$10`; its parts see the same snapshot,
    /// so no row may be in two of them. An empty reply is a release: the row keeps its last
    /// reply, and only a row on the wire (`sending`) is released, never one declared
    /// uncertain meanwhile.
    static let change = PostgresStatement(
        """
        WITH marked AS (
          UPDATE deliveries SET status = 'sending', changed_at = now(), lease_until = now() + make_interval(secs => $2::bigint)
          WHERE id = ANY($3::bigint[]) AND status = 'pending' AND claimed_by = $1::text
          RETURNING id),
        closed AS (
          UPDATE deliveries d SET status = u.status, attempts = d.attempts + u.counts,
            message_id = COALESCE(NULLIF(u.message_id, ''), d.message_id),
            last_reply = COALESCE(NULLIF(u.reply, ''), d.last_reply),
            retry_at = CASE WHEN u.retry_at < 0 THEN NULL ELSE to_timestamp(u.retry_at) END,
            changed_at = now(), lease_until = NULL,
            claimed_by = CASE WHEN u.status = 'pending' THEN NULL ELSE d.claimed_by END
          FROM unnest($4::bigint[], $5::text[], $6::int[], $7::text[], $8::text[], $9::float8[])
            AS u(id, status, counts, reply, message_id, retry_at)
          WHERE d.id = u.id AND d.claimed_by = $1::text
            AND (d.status = 'sending' OR (d.status = 'uncertain' AND u.reply <> ''))
          RETURNING d.id),
        bounced AS (
          UPDATE subscribers SET status = 'bounced', changed_at = now()
          WHERE id IN (SELECT subscriber FROM deliveries WHERE id = ANY($10::bigint[])) AND status = 'active'
          RETURNING id)
        SELECT id::text FROM marked
        """)

    /// A row `change` marked (see `PostgresStatement` on why as text).
    private func marked(_ row: PostgresRow) throws -> Int64 {
        let text = try row.decode(String.self)
        guard let id = Int64(text) else {
            throw PostgresStateError.query(server: commits.server.description, reason: "a marked row came back as \(text)")
        }
        return id
    }

    private func arguments(marks: [Int64], closing: Closing, bounced: [Int64]) -> PostgresArguments {
        var arguments = PostgresArguments()
        arguments.append(id)
        arguments.append(lease)
        arguments.append(marks)
        arguments.append(closing.ids)
        arguments.append(closing.statuses)
        arguments.append(closing.counts)
        arguments.append(closing.replies)
        arguments.append(closing.messageIDs)
        arguments.append(closing.retryAt)
        arguments.append(bounced)
        return arguments
    }

    /// Outcomes as columns, one array each, for one `UPDATE … FROM unnest(…)`.
    private struct Closing {
        var ids: [Int64] = []
        var statuses: [String] = []
        var counts: [Int32] = []
        var replies: [String] = []
        var messageIDs: [String] = []
        /// Seconds since 1970; negative for none.
        var retryAt: [Double] = []

        mutating func add(_ id: Int64, _ status: String, counts: Bool, reply: String, messageID: String = "", retryAt: Date? = nil) {
            ids.append(id)
            statuses.append(status)
            self.counts.append(counts ? 1 : 0)
            replies.append(reply)
            messageIDs.append(messageID)
            self.retryAt.append(retryAt?.timeIntervalSince1970 ?? -1)
        }
    }

    /// What is left for this sender: rows it may take now, rows other live senders hold (they
    /// may come back as retries or releases, so this sender waits for them), and the earliest
    /// retry due in this run. Rows a dead sender left `sending` become `uncertain` here, so a
    /// digest is finished by whoever is still running.
    /// `session`: another connection to read on, so the read does not wait for this
    /// sender's commits.
    package func remaining(on session: PostgresSession? = nil) throws -> (claimable: Int, nextRetry: Date?) {
        let session = session ?? self.session
        let abandoned = try Self.expireAbandoned(session, digest: digest)
        let row = try session.query(
            """
            SELECT
              COUNT(*) FILTER (WHERE status = 'pending' AND (retry_at IS NULL OR retry_at <= now())
                AND (claimed_by IS NULL OR lease_until IS NULL OR lease_until < now() OR claimed_by = \(id))),
              COUNT(*) FILTER (WHERE claimed_by <> \(id) AND lease_until >= now()),
              MIN(retry_at) FILTER (WHERE status = 'pending' AND retry_at > now() AND retry_at < now() + interval '10 years')
            FROM deliveries WHERE digest = \(digest) AND status IN ('pending','sending')
            """
        ).first
        guard let row else { return (abandoned, nil) }
        let (claimable, held, next) = try row.decode((Int, Int, Date?).self)
        return (claimable + held + abandoned, next)
    }

    /// Extends the lease of every row this sender holds, and says it is alive. Called well
    /// within the lease (a third of it), so a live sender's claims are never taken over.
    public func renew() throws {
        try session.transaction { s in
            // Rows a commit or a claim holds right now are skipped, not waited for (no lock
            // order to get wrong): that commit or claim sets their lease itself.
            try s.query(
                """
                UPDATE deliveries SET lease_until = now() + make_interval(secs => \(lease))
                WHERE id IN (
                  SELECT id FROM deliveries
                  WHERE digest = \(digest) AND claimed_by = \(id) AND status IN ('pending','sending')
                  FOR UPDATE SKIP LOCKED)
                """)
            try s.query("UPDATE senders SET seen_at = now() WHERE id = \(id)")
        }
    }

    /// Gives back the pending rows this sender claimed and did not mark (a clean stop).
    public func releaseUnsent() throws {
        try session.query(
            """
            UPDATE deliveries SET claimed_by = NULL, lease_until = NULL
            WHERE digest = \(digest) AND claimed_by = \(id) AND status = 'pending'
            """)
    }

    /// Rows a dead sender left `sending` (its lease ran out): the server may have accepted
    /// them, so they become `uncertain`, reported and never resent on their own. Its pending
    /// claims need nothing: a run-out lease makes them claimable. Returns how many.
    /// A `sending` row without a lease (copied from a SQLite state) counts as run out.
    public static func expireAbandoned(state: PostgresState, digest: Int? = nil) throws -> Int {
        try expireAbandoned(state.session, digest: digest)
    }

    static func expireAbandoned(_ session: PostgresSession, digest: Int?) throws -> Int {
        try session.query(
            """
            UPDATE deliveries SET status = 'uncertain', changed_at = now(),
              last_reply = COALESCE(last_reply || ' / ', '') || 'interrupted while sending'
            WHERE id IN (
              SELECT id FROM deliveries
              WHERE (\(digest)::bigint IS NULL OR digest = \(digest)) AND status = 'sending'
                AND (lease_until IS NULL OR lease_until < now())
              FOR UPDATE SKIP LOCKED)
            """
        ).metadata.rows ?? 0
    }

    public func close() {
        session.close()
        commits.close()
    }
}
