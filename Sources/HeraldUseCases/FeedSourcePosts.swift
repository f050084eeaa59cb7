import Foundation
import HeraldBase
import HeraldConfig
import HeraldContent
import HeraldFetch
import HeraldState

/// The posts of a publication whose `source:` is another site's feed: fetched (a
/// conditional GET against the last answer kept in state), read, and made into posts.
/// A feed that cannot be fetched or read throws, so no digest is made from part of it.
struct FeedSourcePosts {
    let publication: Publication
    let settings: FeedSourceSettings
    var fetcher = FeedFetcher()

    init?(publication: Publication) {
        guard let settings = publication.source else { return nil }
        self.publication = publication
        self.settings = settings
    }

    struct Loaded: Sendable {
        let feed: IncomingFeed
        /// The document read (fetched now, or kept from the last answer after a 304).
        let body: [UInt8]
        /// One per entry, in the feed's order: what selection reads (no HTML parsed yet).
        let metas: [PostMeta]
        /// When each entry was first seen (the fetch's time for one seen now).
        let firstSeen: [String: Date]
        /// The server answered 304: the body kept from the last answer was read.
        let notModified: Bool

        /// The entries with these ids, in this order, rendered (in parallel: only the few a
        /// digest holds, not the whole feed).
        func posts(withIDs ids: [String]) -> [Post] {
            var index: [String: Int] = [:]
            for (i, meta) in metas.enumerated() where index[meta.source] == nil { index[meta.source] = i }
            let chosen = ids.compactMap { index[$0] }
            let entries = feed.entries
            let metas = metas
            return parallelMap(chosen) { entries[$0].post(metas[$0]) }
        }
    }

    /// `record`: keep the answer and the entries' first sight in `state` (a send); without
    /// it nothing is written (a preview or a check).
    /// `cachedOnFailure`: when the fetch fails, read the last answer kept instead (finishing
    /// a digest already journaled needs its entries, not today's network).
    func load(state: (any FeedSourceStorage)?, now: Date, record: Bool, cachedOnFailure: Bool = false) throws -> Loaded {
        let cached = try state?.cached(url: settings.url)
        let request = FetchRequest(
            url: settings.url, etag: cached?.etag, lastModified: cached?.lastModified, timeout: settings.timeout,
            maxBytes: settings.maxBytes)
        let body: [UInt8]
        let documentURL: String
        var fresh: FetchedBody?
        let result: FetchResult
        do { result = try fetcher.fetch(request) } catch {
            guard cachedOnFailure, cached != nil else { throw error }
            result = .notModified
        }
        switch result {
        case .notModified:
            guard let cached else {
                throw Failure(.unavailable, "\(settings.url): the server answered 304 Not Modified to a request that was not conditional")
            }
            body = cached.body
            documentURL = settings.url
        case .fetched(let fetched):
            body = fetched.bytes
            documentURL = fetched.finalURL
            fresh = fetched
        }
        let feed = try FeedReader.read(body, url: documentURL, maxBytes: settings.maxBytes)
        let ids = feed.entries.map(\.id)
        var firstSeen: [String: Date]
        if record, let state {
            if let fresh {
                try state.store(url: settings.url, etag: fresh.etag, lastModified: fresh.lastModified, body: fresh.bytes, at: now)
            }
            firstSeen = try state.recordSeen(ids, at: now)
        } else {
            firstSeen = try state?.firstSeen(ids) ?? [:]
        }
        let (publication, seen) = (publication, firstSeen)
        let metas = parallelMap(feed.entries) { entry in
            entry.meta(in: feed, publication: publication, firstSeen: seen[entry.id] ?? now)
        }
        return Loaded(feed: feed, body: body, metas: metas, firstSeen: firstSeen, notModified: fresh == nil)
    }
}
