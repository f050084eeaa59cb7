import GRDB
import HeraldBase

/// The state schema, versioned in code. Append migrations; never edit a shipped one.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1: subscribers, digests, deliveries") { db in
            try db.create(table: "subscribers") { t in
                t.autoIncrementedPrimaryKey("id")
                // Normalized (domain lower-cased) so the unique index deduplicates.
                t.column("address", .text).notNull().unique()
                t.column("name", .text)
                t.column("status", .text).notNull().defaults(to: "active")
                    .check(sql: "status IN ('active','unsubscribed','bounced')")
                t.column("created_at", .datetime).notNull()
                t.column("changed_at", .datetime).notNull()
            }
            try db.create(table: "digests") { t in
                t.primaryKey("number", .integer)
                // JSON array of permalinks, newest first.
                t.column("post_ids", .text).notNull()
                t.column("subject", .text).notNull()
                t.column("created_at", .datetime).notNull()
                // Seconds since 2001 as a double: exactly the Date the selection compares
                // against (a datetime column keeps only milliseconds, and a post a fraction
                // of a millisecond newer would be sent twice).
                t.column("newest_post_date", .double).notNull()
            }
            try db.create(table: "deliveries") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("digest", .integer).notNull().references("digests")
                t.column("subscriber", .integer).notNull().references("subscribers")
                t.column("status", .text).notNull().defaults(to: "pending")
                    .check(sql: "status IN ('pending','sending','sent','failed','uncertain')")
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("last_reply", .text)
                t.column("message_id", .text)
                // A pending row is not claimed before this time (backoff after a 4xx).
                t.column("retry_at", .datetime)
                t.column("created_at", .datetime).notNull()
                t.column("changed_at", .datetime).notNull()
                t.uniqueKey(["digest", "subscriber"])
            }
            // The sender's hot query: the next pending rows of one digest.
            try db.create(index: "deliveries_by_status", on: "deliveries", columns: ["digest", "status", "id"])
        }
        m.registerMigration("v2: one subscriber per normalized address") { db in
            // `A@Bücher.example` and `a@xn--bcher-kva.example` are one person (see EmailAddress.key).
            try db.alter(table: "subscribers") { t in t.add(column: "address_key", .text) }
            for row in try Row.fetchAll(db, sql: "SELECT id, address FROM subscribers") {
                let stored: String = row["address"]
                let key = (try? EmailAddress(stored))?.key ?? stored.lowercased()
                try db.execute(sql: "UPDATE subscribers SET address_key = ? WHERE id = ?", arguments: [key, row["id"]])
            }
            try db.create(index: "subscribers_by_key", on: "subscribers", columns: ["address_key"], unique: true)
        }
        m.registerMigration("v3: opaque unsubscribe tokens, pending subscriptions, consents") { db in
            // 128 random bits per subscription, replaced when it is re-activated: the link
            // names no address, and an old link stops working after a re-subscribe.
            try db.alter(table: "subscribers") { t in t.add(column: "unsubscribe_token", .text) }
            try db.execute(sql: "UPDATE subscribers SET unsubscribe_token = lower(hex(randomblob(16)))")
            try db.create(index: "subscribers_by_token", on: "subscribers", columns: ["unsubscribe_token"], unique: true)
            // Double opt-in: a request waits here until its link is followed. Only the
            // token's SHA-256 is kept; `mailed_at` holds the address's mail window.
            // Keyed by the normalized address (EmailAddress.key), like subscribers.address_key.
            try db.create(table: "pending_subscriptions") { t in
                t.primaryKey("address_key", .text)
                t.column("address", .text).notNull()
                t.column("name", .text)
                t.column("token_hash", .text).notNull().unique()
                t.column("created_at", .datetime).notNull()
                t.column("expires_at", .datetime).notNull()
                t.column("mailed_at", .datetime).notNull()
                // Kept after confirming, so a second press of the button is answered, not refused.
                t.column("confirmed_at", .datetime)
            }
            // Who agreed (or left), when, from where, with what, on which page.
            try db.create(table: "consents") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("address_key", .text).notNull().indexed()
                t.column("action", .text).notNull().check(sql: "action IN ('requested','confirmed','unsubscribed')")
                t.column("at", .datetime).notNull()
                t.column("client", .text)
                t.column("user_agent", .text)
                t.column("page", .text)
            }
        }
        m.registerMigration("v4: links in mail sent before opaque tokens keep unsubscribing") { db in
            // True while a subscription is the one that existed when v3 replaced the tokens,
            // so a v1 link (LegacyUnsubscribeToken) still ends it; a re-subscribe clears it.
            try db.alter(table: "subscribers") { t in
                t.add(column: "accepts_legacy_token", .boolean).notNull().defaults(to: false)
            }
            try db.execute(sql: "UPDATE subscribers SET accepts_legacy_token = 1")
        }
        m.registerMigration("v5: bounce and complaint reports") { db in
            // One row per report read by `herald bounces`, with what it decided. The report's
            // Message-ID is unique: reading the same report again changes nothing.
            try db.create(table: "bounce_reports") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("message_id", .text).notNull().unique()
                t.column("kind", .text).notNull().check(sql: "kind IN ('hard','soft','complaint','other')")
                t.column("subscriber", .integer).references("subscribers")
                // What the report says: Final-Recipient, Status (5.1.1), Diagnostic-Code or Feedback-Type.
                t.column("recipient", .text)
                t.column("status_code", .text)
                t.column("detail", .text)
                t.column("decision", .text).notNull()
                    .check(sql: "decision IN ('bounced','counted','unsubscribed','ignored')")
                t.column("received_at", .datetime).notNull()
            }
            // The soft rule counts a subscriber's recent soft bounces.
            try db.create(index: "bounce_reports_by_subscriber", on: "bounce_reports", columns: ["subscriber", "kind", "received_at"])
        }
        m.registerMigration("v6: where a consent record came from") { db in
            // NULL: Herald's own pages made it. Else the import that brought it, such as
            // `imported from members.csv (Mailchimp)`: evidence another tool recorded.
            try db.alter(table: "consents") { t in t.add(column: "source", .text) }
        }
        m.registerMigration("v7: a publication whose posts come from another site's feed") { db in
            // The last full answer per feed address: its validators for the next conditional
            // GET, and its body, read again when the server answers 304 or a digest resumes.
            try db.create(table: "feed_fetches") { t in
                t.primaryKey("url", .text)
                t.column("etag", .text)
                t.column("last_modified", .text)
                t.column("body", .blob).notNull()
                t.column("fetched_at", .datetime).notNull()
            }
            // Every entry id ever seen in the feed and when it first was: what is new is decided
            // by id, and the time stands in for the date of an entry that has none. Seconds
            // since 2001 as a double, as `digests.newest_post_date`, so comparisons are exact.
            try db.create(table: "feed_entries") { t in
                t.primaryKey("entry_id", .text)
                t.column("first_seen", .double).notNull()
            }
        }
        return m
    }
}
