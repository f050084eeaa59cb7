import Foundation
import HeraldConfig
import HeraldContent
import HeraldState

/// Which posts the next digest holds.
public struct DigestSelection {
    /// Published posts newer than `last.newestPostDate`, or, before the first
    /// digest, those of the last `settings.firstWindowDays`. `since` (posts dated
    /// at or after it) replaces both for previews; `limit` keeps the newest N.
    /// Newest first; equal dates are ordered by permalink so reruns agree.
    public static func select(
        _ metas: [PostMeta], after last: DigestRecord?, now: Date,
        settings: DigestSettings, since: Date? = nil, limit: Int? = nil
    ) -> [PostMeta] {
        let isNew: (PostMeta) -> Bool
        if let since {
            isNew = { $0.date >= since }
        } else if let last {
            // A post dated exactly like the newest one sent, but not in that digest
            // (written later with the same timestamp), is still new.
            let sent = Set(last.postIDs)
            isNew = { $0.date > last.newestPostDate || ($0.date == last.newestPostDate && !sent.contains($0.permalink.absoluteString)) }
        } else {
            let start = now.addingTimeInterval(-Double(settings.firstWindowDays) * 86_400)
            isNew = { $0.date > start }
        }
        let chosen = metas.filter { $0.isPublished(at: now) && isNew($0) }.sorted {
            $0.date != $1.date ? $0.date > $1.date : $0.permalink.absoluteString < $1.permalink.absoluteString
        }
        guard let limit else { return chosen }
        return Array(chosen.prefix(max(0, limit)))
    }
}
