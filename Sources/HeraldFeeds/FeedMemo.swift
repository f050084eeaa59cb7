import Crypto
import Foundation
import HeraldBase
import HeraldContent

/// What one feed was built from, kept in the build record so that the next build can leave a
/// feed alone when it would come out the same: most edits of one post touch a few feeds of
/// hundreds (a tag's, an archive page's). The key is a digest of the settings (everything
/// the build fingerprint reads but the posts' stamps), the plan (title, folder, URLs, file
/// names, archive links) and the stamp of every file its entries come from. A feed is built
/// again, never skipped, when:
/// - one of its posts resolves a `ref`/`relref`: its bytes then depend on another file;
/// - one of its stamps was racy when the key was taken (`ScanCache.racyMargin`: a file
///   may still change in the same clock tick without its stamp changing);
/// - one of its posts has no stamp (a source that reads no files), or rendering it failed.
/// Such a feed gets no memo, and a feed without a memo is always built.
struct FeedMemo: Codable, Sendable, Equatable {
    var key: String

    /// The memo for `plan`, or nil when it may not be trusted by the next build (see above).
    /// `stamps`: by `PostMeta.source`; `racyFrom`: nanoseconds since 1970 from which a stamp is racy.
    static func make(
        _ plan: FeedPlan, settings: String, stamps: [String: FileStamp], racyFrom: Int64
    ) -> FeedMemo? {
        var transcript: [UInt8] = []
        func add(_ s: String) {
            transcript += s.utf8
            transcript.append(0x0A)
        }
        add(settings)
        add(plan.title)
        add(plan.directory)
        add(plan.url.absoluteString)
        add(plan.folderURL.absoluteString)
        add(plan.files.all.joined(separator: " "))
        if let archive = plan.archive {
            add(
                "archive \(archive.current.absoluteString) \(archive.folder.absoluteString) \(archive.isArchive) "
                    + "\(archive.prev.map(String.init) ?? "-") \(archive.next.map(String.init) ?? "-")")
        }
        for (word, metas) in [("empty-since", plan.emptySince.map { [$0] } ?? []), ("entries", plan.entries)] {
            add("\(word) \(metas.count)")
            for meta in metas {
                guard let stamp = stamps[meta.source], stamp.readable, stamp.latestNanoseconds < racyFrom else { return nil }
                add(meta.source)
                stamp.append(to: &transcript)
                transcript.append(0x0A)
            }
        }
        return FeedMemo(key: Hex.lowercase(SHA256.hash(data: transcript)))
    }

    /// The memo of the feeds' stylesheet, which only the settings shape (`FeedStylesheet`).
    static func stylesheet(settings: String) -> FeedMemo {
        FeedMemo(key: Hex.lowercase(SHA256.hash(data: Array(("stylesheet\n" + settings).utf8))))
    }
}
