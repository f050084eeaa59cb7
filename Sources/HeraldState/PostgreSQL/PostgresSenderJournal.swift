import Foundation
import HeraldBase
import PostgresNIO

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
    private let session: PostgresSession

    /// Registers a sender for `digest` on its own connection.
    public init(state: PostgresState, digest: Int, lease: Int = 60, host: String = ProcessInfo.processInfo.hostName) throws {
        let pid = Int(ProcessInfo.processInfo.processIdentifier)
        id = "\(host):\(pid):\(SubscriptionToken.random().description.prefix(8))"
        self.digest = digest
        self.lease = lease
        session = try state.newSession()
        try session.query(
            """
            INSERT INTO senders (id, digest, host, pid, started_at, seen_at)
            VALUES (\(id), \(digest), \(host), \(pid), now(), now())
            """)
    }

    /// Takes up to `limit` claimable rows: pending, due, and unclaimed or with a lease run out.
    /// Rows of subscribers who left since the digest was journaled are closed as `failed`.
    public func claim(limit: Int) throws -> [DeliveryJournal.Claim] {
        let claims = try session.transaction { s in
            var claims: [DeliveryJournal.Claim] = []
            let rows = try s.query(
                """
                WITH picked AS (
                  SELECT id FROM deliveries
                  WHERE digest = \(digest) AND status = 'pending' AND (retry_at IS NULL OR retry_at <= now())
                    AND (claimed_by IS NULL OR lease_until < now())
                  ORDER BY id LIMIT \(limit) FOR UPDATE SKIP LOCKED),
                taken AS (
                  UPDATE deliveries d SET claimed_by = \(id), lease_until = now() + make_interval(secs => \(lease))
                  FROM picked WHERE d.id = picked.id RETURNING d.id, d.attempts, d.subscriber)
                SELECT t.id, t.attempts, s.id, s.address, s.name, s.status, s.unsubscribe_token
                FROM taken t JOIN subscribers s ON s.id = t.subscriber ORDER BY t.id
                """)
            var gone: [Int64] = []
            for row in rows {
                let (delivery, attempts, subscriberID, address, name, status, token) =
                    try row.decode((Int64, Int, Int64, String, String?, String, String?).self)
                let subscriber = Subscriber(
                    id: subscriberID, address: EmailAddress(stored: address), name: name,
                    status: Subscriber.Status(rawValue: status) ?? .active,
                    unsubscribeToken: token.flatMap(SubscriptionToken.init))
                if subscriber.status == .active {
                    claims.append(DeliveryJournal.Claim(deliveryID: delivery, subscriber: subscriber, attempts: attempts))
                } else {
                    gone.append(delivery)
                }
            }
            if !gone.isEmpty {
                try s.query(
                    """
                    UPDATE deliveries d SET status = 'failed', changed_at = now(), claimed_by = NULL, lease_until = NULL,
                      last_reply = 'not sent: subscriber is ' || s.status
                    FROM subscribers s WHERE s.id = d.subscriber AND d.id = ANY(\(gone)) AND d.status = 'pending'
                    """)
            }
            return claims
        }
        return claims
    }

    /// Marks claimed rows `sending`, durably, before their messages go out. Returns the rows
    /// marked: a row missing from it is no longer this sender's (its lease ran out and another
    /// sender took it) or no longer pending, and must not be sent.
    public func mark(_ deliveries: [Int64]) throws -> Set<Int64> {
        guard !deliveries.isEmpty else { return [] }
        var marked = Set<Int64>()
        for row in try session.query(
            """
            UPDATE deliveries SET status = 'sending', changed_at = now(), lease_until = now() + make_interval(secs => \(lease))
            WHERE id = ANY(\(deliveries)) AND status = 'pending' AND claimed_by = \(id)
            RETURNING id
            """)
        {
            marked.insert(try row.decode(Int64.self))
        }
        return marked
    }

    /// Records outcomes in one commit. A row this sender marked is its own to close, even
    /// if another sender had meanwhile declared it `uncertain` (this sender was thought dead):
    /// the server's answer is better knowledge than a guess.
    public func record(_ outcomes: [(deliveryID: Int64, outcome: DeliveryJournal.Outcome)]) throws {
        guard !outcomes.isEmpty else { return }
        try session.transaction { s in
            for (delivery, outcome) in outcomes {
                switch outcome {
                case .sent(let messageID, let reply):
                    try s.query(
                        """
                        UPDATE deliveries SET status = 'sent', attempts = attempts + 1, message_id = \(messageID),
                          last_reply = \(reply), retry_at = NULL, changed_at = now(), lease_until = NULL
                        WHERE id = \(delivery) AND status IN ('sending','uncertain') AND claimed_by = \(id)
                        """)
                case .failed(let reply):
                    try s.query(Self.close(delivery, sender: id, status: "failed", reply: reply, counts: true))
                case .bounced(let reply):
                    try s.query(Self.close(delivery, sender: id, status: "failed", reply: reply, counts: true))
                    try s.query(
                        """
                        UPDATE subscribers SET status = 'bounced', changed_at = now()
                        WHERE id = (SELECT subscriber FROM deliveries WHERE id = \(delivery)) AND status = 'active'
                        """)
                case .uncertain(let reply):
                    try s.query(Self.close(delivery, sender: id, status: "uncertain", reply: reply, counts: true))
                case .skipped(let status):
                    try s.query(
                        Self.close(
                            delivery, sender: id, status: "failed", reply: "not sent: subscriber is \(status.rawValue)", counts: false))
                case .retry(let reply, let at):
                    // Pending again and unclaimed: whichever sender is free takes it when it is due.
                    let due = at ?? DeliveryJournal.nextRun
                    try s.query(
                        """
                        UPDATE deliveries SET status = 'pending', attempts = attempts + 1, last_reply = \(reply), retry_at = \(due),
                          changed_at = now(), claimed_by = NULL, lease_until = NULL
                        WHERE id = \(delivery) AND status IN ('sending','uncertain') AND claimed_by = \(id)
                        """)
                case .released:
                    try s.query(
                        """
                        UPDATE deliveries SET status = 'pending', changed_at = now(), claimed_by = NULL, lease_until = NULL
                        WHERE id = \(delivery) AND status = 'sending' AND claimed_by = \(id)
                        """)
                }
            }
        }
    }

    private static func close(_ delivery: Int64, sender: String, status: String, reply: String, counts: Bool) -> PostgresQuery {
        let attempts = counts ? "attempts = attempts + 1," : ""
        return """
            UPDATE deliveries SET status = \(status), \(unescaped: attempts) last_reply = \(reply), retry_at = NULL,
              changed_at = now(), lease_until = NULL
            WHERE id = \(delivery) AND status IN ('sending','uncertain') AND claimed_by = \(sender)
            """
    }

    /// Extends the lease of every row this sender holds, and says it is alive. Called well
    /// within the lease (a third of it), so a live sender's claims are never taken over.
    public func renew() throws {
        try session.transaction { s in
            try s.query(
                """
                UPDATE deliveries SET lease_until = now() + make_interval(secs => \(lease))
                WHERE digest = \(digest) AND claimed_by = \(id) AND status IN ('pending','sending')
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
    public static func expireAbandoned(state: PostgresState, digest: Int) throws -> Int {
        try state.session.query(
            """
            UPDATE deliveries SET status = 'uncertain', changed_at = now(),
              last_reply = COALESCE(last_reply || ' / ', '') || 'interrupted while sending'
            WHERE digest = \(digest) AND status = 'sending' AND lease_until < now()
            """
        ).metadata.rows ?? 0
    }

    public func close() { session.close() }
}
