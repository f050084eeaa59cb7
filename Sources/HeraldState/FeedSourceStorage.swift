import Foundation

/// What a publication fed by another site's feed keeps, whichever database keeps it:
/// `FeedSourceState` (SQLite) or `PostgresFeedSourceState`.
public protocol FeedSourceStorage: Sendable {
    /// The last full answer for one feed address.
    func cached(url: String) throws -> FeedSourceState.CachedFeed?
    func store(url: String, etag: String?, lastModified: String?, body: [UInt8], at now: Date) throws
    /// When each of `ids` was first seen; ids never seen are missing from the answer.
    func firstSeen(_ ids: [String]) throws -> [String: Date]
    /// Records `ids` as seen at `now` (ids seen before keep their first time), and returns
    /// the first time of every one of them.
    @discardableResult
    func recordSeen(_ ids: [String], at now: Date) throws -> [String: Date]
}
