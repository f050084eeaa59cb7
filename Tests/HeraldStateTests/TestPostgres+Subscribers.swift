import HeraldState
import HeraldTestSupport
import PostgresNIO

extension TestPostgres {
    /// `freshState()` with `count` active subscribers, r1@example.org and on, in one statement.
    static func freshState(activeSubscribers count: Int) throws -> PostgresState? {
        guard let state = try freshState() else { return nil }
        try state.session.query(
            """
            INSERT INTO subscribers (address, address_key, status, created_at, changed_at, unsubscribe_token)
            SELECT 'r' || n || '@example.org', 'r' || n || '@example.org', 'active', now(), now(),
                   replace(gen_random_uuid()::text, '-', '')
            FROM generate_series(1, \(count)) AS n
            """)
        return state
    }
}
