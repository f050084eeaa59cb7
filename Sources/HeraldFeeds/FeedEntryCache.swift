import Crypto
import Foundation
import HeraldBase
import HeraldConfig
import HeraldContent

/// The entries (Atom, RSS, JSON Feed and page) rendered for the posts the feeds carried,
/// kept in the state folder: a new newest post changes the publication's feed and those of
/// its tags, and without them a build renders again the fifty posts each of those carries,
/// which was most of that build's time. A log (`CacheLog`) like the scan cache.
///
/// An entry is used only for a post whose file has the stamp it had when the entry was
/// rendered, with the same metadata, under the same key: this herald, herald.yml and the
/// Hugo config's bytes, the feeds' stylesheet, the sections, the time zone (everything the
/// build fingerprint reads but the posts' stamps). Kept only for a post whose stamp was
/// older than the racy margin when it was rendered (`ScanCache.racyMargin`: the file could
/// otherwise still change within the same clock tick, stamp unchanged), that rendered
/// without a problem, and that reads no other file (`ref`). Feeds of all entries keep none:
/// the file would be the size of the feeds.
struct FeedEntryCache: Sendable {
    static let fileName = "feeds-entries.cache"
    /// The kind of file and the layout of its records: changed with either.
    static let magic = "herald entry cache 3"
    /// No cache when a build's feeds carry more posts than this.
    static let maxPosts = 1_000

    let path: String
    private let key: [UInt8]
    private let contents: CacheLog.Contents?
    /// The latest record of each post, by its source path.
    private let index: [String: Int]

    /// The cache in `folder` for these inputs (`settings`: the build fingerprint without
    /// the posts' stamps); empty when there is none, it is not whole, or it was made from other inputs.
    static func load(folder: URL, settings: String) -> FeedEntryCache {
        var transcript = Array(magic.utf8) + [0]
        transcript += settings.utf8
        transcript += Array("\u{0}time zone \(ProcessInfo.processInfo.environment["TZ"] ?? "")".utf8)
        let key = Array(SHA256.hash(data: transcript))
        let path = folder.appendingPathComponent(fileName).path
        var contents = CacheLog.read(path, magic: magic, key: key)
        let index = contents?.index { reader throws(CacheCorrupt) in try reader.string() }
        if index == nil { contents = nil }
        return FeedEntryCache(path: path, key: key, contents: contents, index: index ?? [:])
    }

    /// The entry kept for `meta` when its file's stamp is still `stamp` and its metadata the same.
    func entry(for meta: PostMeta, stamp: FileStamp) -> FeedEntryXML? {
        guard let contents, let record = index[meta.source] else { return nil }
        var reader = contents.reader(record)
        return try? Self.decode(&reader, meta: meta, stamp: stamp)
    }

    /// Keeps `fresh` (entries rendered by this build, with their posts' stamps) for the next
    /// build, with the kept entries of the posts in `live` (every post the feeds carry now):
    /// appended to the log, or the log written anew when it would hold more records of
    /// other posts or superseded entries than live ones. A cache that cannot be written only
    /// costs the next build its speed.
    func save(_ fresh: [(entry: FeedEntryXML, meta: PostMeta, stamp: FileStamp)], live: Set<String>) throws(FileError) {
        let renewed = Set(fresh.map { $0.entry.source })
        let kept = index.filter { live.contains($0.key) && !renewed.contains($0.key) }.map(\.value).sorted()
        if let contents {
            let dead = contents.records.count - kept.count
            if dead <= kept.count + fresh.count {
                guard !fresh.isEmpty else { return }
                try CacheLog.append(to: path, of: contents, key: key) { segment in
                    for item in fresh { segment.add { Self.encode(item.entry, meta: item.meta, stamp: item.stamp, into: &$0) } }
                }
                return
            }
        }
        guard !fresh.isEmpty || !kept.isEmpty else { return }
        try CacheLog.rewrite(to: path, magic: Self.magic, key: key) { segment in
            if let contents { for record in kept { segment.add(contents.bytes(record)) } }
            for item in fresh { segment.add { Self.encode(item.entry, meta: item.meta, stamp: item.stamp, into: &$0) } }
        }
    }

    // MARK: Bytes

    private static func encode(_ entry: FeedEntryXML, meta: PostMeta, stamp: FileStamp, into writer: inout CacheWriter) {
        writer.stamp(stamp, path: entry.source)
        writer.raw(metaDigest(meta))
        for bytes in [entry.atom.bytes, entry.rss.bytes, entry.json, entry.page] {
            writer.uint(UInt64(bytes.count))
            writer.raw(bytes)
        }
    }

    private static func decode(_ reader: inout CacheReader, meta: PostMeta, stamp wanted: FileStamp) throws(CacheCorrupt) -> FeedEntryXML? {
        let stamp = try reader.stamp(path: wanted.path)
        guard stamp == wanted, try reader.raw(SHA256.byteCount) == metaDigest(meta) else { return nil }
        let atom = try reader.raw(try reader.count())
        let rss = try reader.raw(try reader.count())
        let json = try reader.raw(try reader.count())
        let page = try reader.raw(try reader.count())
        guard reader.atEnd else { throw CacheCorrupt() }
        return FeedEntryXML(
            source: meta.source, atom: XMLFragment(kept: atom, depth: AtomWriter.entryDepth),
            rss: XMLFragment(kept: rss, depth: RSSWriter.itemDepth), json: json, page: page)
    }

    /// Every field of the metadata an entry is made from (the scan cache's encoding of it).
    private static func metaDigest(_ meta: PostMeta) -> [UInt8] {
        var writer = CacheWriter(capacity: 1024)
        writer.meta(meta)
        return Array(SHA256.hash(data: writer.bytes))
    }
}
