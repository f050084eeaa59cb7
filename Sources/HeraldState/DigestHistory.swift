/// The digests journaled so far, as the commands that only look at them need them
/// (`herald digest`, `herald test-send`): `DeliveryJournal` (SQLite) or `PostgresDigestHistory`.
/// A send needs more: `DeliveryLedger`, which refines it.
public protocol DigestHistory: Sendable {
    /// The newest digest journaled (it counts as sent for the selection of the next one).
    func lastSentDigest() throws -> DigestRecord?
    /// Every digest journaled, newest first.
    func digests() throws -> [DigestRecord]
    /// The oldest digest that still owes a delivery.
    func unfinishedDigest() throws -> DigestRecord?
    func nextDigestNumber() throws -> Int
}
