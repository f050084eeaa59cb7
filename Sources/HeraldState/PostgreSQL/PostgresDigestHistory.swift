import Foundation
import PostgresNIO

/// The digests journaled in a PostgreSQL state, read only (`DigestHistory`).
public struct PostgresDigestHistory: DigestHistory {
    let state: PostgresState
    public init(state: PostgresState) { self.state = state }

    public func lastSentDigest() throws -> DigestRecord? { try PostgresDigests(state: state).last() }

    public func digests() throws -> [DigestRecord] {
        try state.session.query("SELECT number, post_ids, subject, created_at, newest_post_date FROM digests ORDER BY number DESC")
            .map(PostgresDigests.digest)
    }

    public func unfinishedDigest() throws -> DigestRecord? { try PostgresDigests(state: state).unfinished() }

    public func nextDigestNumber() throws -> Int {
        (try state.session.query("SELECT MAX(number)::bigint FROM digests").first?.decode(Int?.self) ?? nil ?? 0) + 1
    }
}
