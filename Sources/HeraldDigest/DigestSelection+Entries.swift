import Foundation
import HeraldConfig
import HeraldContent
import HeraldState

extension DigestSelection {
    /// For a publication fed by another site's feed, what is new is decided by entry id, not
    /// by date: an entry is new when no digest holds it and it was first seen after the last
    /// digest was made (or has never been seen). An entry whose date changes, that moves in
    /// the feed, or that disappears and comes back is not new; one that was in the feed when
    /// a digest was made but left out of it (older than the first window) never becomes new.
    /// Before the first digest, `digest.first_window` applies to the entries' dates, as for a
    /// folder. `since` and `limit` mean what they mean in `select`. `id` gives an entry's id.
    public static func selectEntries(
        _ metas: [PostMeta], id: @escaping (PostMeta) -> String, firstSeen: [String: Date], sent: Set<String>,
        after last: DigestRecord?, now: Date, settings: DigestSettings, since: Date? = nil, limit: Int? = nil
    ) -> [PostMeta] {
        let isNew: (PostMeta) -> Bool
        if let since {
            isNew = { $0.date >= since }
        } else if let last {
            // The journal keeps a digest's time rounded to the millisecond, the entries' first
            // sight exactly: within a millisecond of it is "seen in that run" (one run's `now`),
            // later is "seen since" (another run, which starts a process and fetches first).
            let cutoff = last.createdAt.addingTimeInterval(0.001)
            isNew = { meta in
                let entry = id(meta)
                return !sent.contains(entry) && (firstSeen[entry].map { $0 > cutoff } ?? true)
            }
        } else {
            let start = now.addingTimeInterval(-Double(settings.firstWindowDays) * 86_400)
            isNew = { !sent.contains(id($0)) && $0.date > start }
        }
        let chosen = metas.filter { $0.isPublished(at: now) && isNew($0) }.sorted {
            $0.date != $1.date ? $0.date > $1.date : $0.permalink.absoluteString < $1.permalink.absoluteString
        }
        guard let limit else { return chosen }
        return Array(chosen.prefix(max(0, limit)))
    }
}
