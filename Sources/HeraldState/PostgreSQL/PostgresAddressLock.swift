import PostgresNIO

/// Serializes, across every process on the database, the transactions that change one
/// address's subscription: SQLite's single writer does it there. Two servers asked at once
/// to subscribe the same address then mail one confirmation, and `subscribers add` racing a
/// confirmation creates one row, not a unique-index error.
enum PostgresAddressLock {
    /// The advisory locks' class (the first of their two keys); the migrations' lock is a
    /// single-key one, which PostgreSQL keeps apart.
    static let addresses: Int32 = 7_221_887
    static let bounceReports: Int32 = 7_221_888

    /// Held until the transaction ends.
    static func lock(_ session: PostgresSession, _ space: Int32 = addresses, key: String) throws {
        try session.query("SELECT pg_advisory_xact_lock(\(space), hashtext(\(PostgresText.storable(key))))")
    }
}
