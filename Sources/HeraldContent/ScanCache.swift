import Crypto
import Foundation
import HeraldBase
import HeraldConfig

#if canImport(Glibc)
    import Glibc
#endif

/// What the scan made of each post file last time, kept in the state folder, so a build
/// after one post changed reads that post and not the 10,000 others.
///
/// An entry is used only for the same file with the same stamp (size, modification and
/// change time, device, inode: `FileStamp`), and the whole cache only for the same inputs
/// besides the files (`key`: Herald's version and binary, herald.yml, the Hugo site's
/// config, the sections, the folders, the time zone). A file whose stamp is within
/// `racyMargin` of the scan that read it could still change within the same clock tick
/// without its stamp changing, so its entry also keeps the digest of the bytes parsed and
/// is used only while the file still has them.
package struct ScanCache: Sendable {
    package static let fileName = "feeds-scan.cache"
    /// The kind of file and the layout of its entries: changed with either.
    static let magic = "herald scan cache 4"
    /// Wider than any file system's timestamp granularity (FAT: 2 s) and the kernel's
    /// coarse clock tick.
    package static let racyMargin: Int64 = 3_000_000_000

    package struct Entry: Sendable {
        package let stamp: FileStamp
        /// The digest of the bytes parsed, while the stamp alone does not prove them.
        package let digest: ContentDigest?
        /// Nil: a file that is no post and no problem (a headless bundle).
        package let meta: PostMeta?
        /// Where a clash of permalinks points: the `slug:` line, else the opening `---`.
        package let slugLine: Int
        /// `meta.permalink` as the cache keeps it: making it again from the URL costs.
        package let permalink: String?
        /// The record of the log this entry is, unchanged: a save keeps it as it is. Nil
        /// for an entry made or changed by this scan.
        let record: Int?

        package init(stamp: FileStamp, digest: ContentDigest?, meta: PostMeta?, slugLine: Int) {
            self.init(stamp: stamp, digest: digest, meta: meta, slugLine: slugLine, permalink: nil, record: nil)
        }

        init(stamp: FileStamp, digest: ContentDigest?, meta: PostMeta?, slugLine: Int, permalink: String?, record: Int?) {
            self.stamp = stamp
            self.digest = digest
            self.meta = meta
            self.slugLine = slugLine
            self.permalink = permalink
            self.record = record
        }
    }

    package let path: String
    let key: [UInt8]
    /// The log as read; nil when there was none, it was not whole, or it was made from other inputs.
    private let contents: CacheLog.Contents?
    /// The record of each path's latest entry, by the stamp's path as the record's bytes:
    /// making 10,000 Strings of them (each validated as UTF-8) cost more than the lookups.
    private let index: [PathBytes: Int]
    /// Stamps at or after this (nanoseconds since 1970) may still change unseen.
    package let racyFrom: Int64

    /// The paths that have an entry.
    package var count: Int { index.count }

    /// The cache in `folder` for these inputs; empty when there is none, it is not
    /// whole, or it was made from other inputs. Only the paths are read here: an entry is
    /// decoded when its file asks for it (on the scan's threads), and only when its stamp matches.
    package static func load(folder: URL, key: [UInt8], now: Int64 = Self.now(), racyMargin: Int64 = Self.racyMargin) -> ScanCache {
        let path = folder.appendingPathComponent(fileName).path
        var contents = CacheLog.read(path, magic: magic, key: key)
        let index = contents?.index { reader throws(CacheCorrupt) in PathBytes(try reader.stringBytes()) }
        if index == nil { contents = nil }
        return ScanCache(path: path, key: key, contents: contents, index: index ?? [:], racyFrom: now - racyMargin)
    }

    /// The entry for `file` (relative to `directory`) when its stamp now (`stamp`, else
    /// taken here) is the entry's and, for a racy entry, its bytes are still the ones
    /// parsed. The digest is dropped once the stamp is old enough to prove the bytes by itself.
    package func entry(
        for file: @autoclosure () -> String, in directory: Int32, stampedAs stampPath: String, stamp: FileStamp? = nil
    ) -> Entry? {
        guard let contents, let record = Self.record(of: stampPath, in: index) else { return nil }
        let stamp = stamp ?? FileStamp.of(file(), in: directory, stampedAs: stampPath)
        guard stamp.readable else { return nil }
        var reader = contents.reader(record)
        guard let entry = try? Self.decodeEntry(&reader, of: contents, record: record, ifStamped: stamp) else { return nil }
        guard let digest = entry.digest else { return entry }
        guard let now = try? SourceText.digest(file(), in: directory, stampedAs: stampPath), now.stamp == stamp, now.digest == digest
        else { return nil }
        if needsDigest(stamp) { return entry }
        // Changed: the next scan needs no digest; the record is written again.
        return Entry(stamp: stamp, digest: nil, meta: entry.meta, slugLine: entry.slugLine, permalink: entry.permalink, record: nil)
    }

    private static func record(of path: String, in index: [PathBytes: Int]) -> Int? {
        var path = path
        return path.withUTF8 { index[PathBytes(UnsafeRawBufferPointer($0))] }
    }

    package func needsDigest(_ stamp: FileStamp) -> Bool { stamp.latestNanoseconds >= racyFrom }

    /// Keeps `entries` (every file's, in file order) for the next scan: the ones this scan
    /// made or changed are appended to the log, unless the log would then hold more
    /// superseded records than live ones (or there is none usable): then it is written anew
    /// with the live ones, those kept copied as they are. A cache that cannot be written
    /// only costs the next build its speed.
    package func save(_ entries: [Entry]) throws(FileError) {
        // Counted, not copied: a cold build's entries are all fresh, 8 MB for 50,000 posts.
        let fresh = entries.reduce(0) { $0 + ($1.record == nil ? 1 : 0) }
        if let contents {
            let superseded = contents.records.count + fresh - entries.count
            if superseded <= entries.count {
                guard fresh > 0 else { return }
                try CacheLog.append(to: path, of: contents, key: key) { segment in
                    for entry in entries where entry.record == nil { segment.add { Self.encode(entry, into: &$0) } }
                }
                return
            }
        }
        try CacheLog.rewrite(to: path, magic: Self.magic, key: key) { segment in
            for entry in entries {
                if let record = entry.record, let contents {
                    segment.add(contents.bytes(record))
                } else {
                    segment.add { Self.encode(entry, into: &$0) }
                }
            }
        }
    }

    package static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    // MARK: The inputs

    /// The digest of everything besides a post's own bytes that shapes what the scan makes
    /// of it: how permalinks, dates and pages are worked out, and where paths are shown from.
    package static func key(publication: Publication, workingDirectory: String, branches: [String]) -> [UInt8] {
        var transcript: [UInt8] = []
        func add(_ s: String) {
            transcript += s.utf8
            transcript.append(0)
        }
        add(magic)
        PublicationInputs.append(publication, to: &transcript, separator: 0)
        add("posts \(publication.postsDirectory.path)")
        add("shown from \(workingDirectory)")
        add("sections \(branches.joined(separator: "\u{0}"))")
        add("time zone \(publication.timeZone.identifier) \(ProcessInfo.processInfo.environment["TZ"] ?? "")")
        return Array(SHA256.hash(data: transcript))
    }

    // MARK: Bytes

    private static func encode(_ entry: Entry, into writer: inout CacheWriter) {
        writer.stamp(entry.stamp, path: entry.stamp.path)
        writer.bool(entry.digest != nil)
        if let digest = entry.digest { writer.raw(digest.bytes) }
        writer.int(entry.slugLine)
        writer.bool(entry.meta != nil)
        guard let meta = entry.meta else { return }
        writer.meta(meta)
    }

    /// The entry in `reader` when it was made for `stamp` (its path aside, which the index
    /// matched); nil for another stamp, decoded no further than the stamp.
    private static func decodeEntry(
        _ reader: inout CacheReader, of contents: CacheLog.Contents, record: Int, ifStamped wanted: FileStamp
    ) throws(CacheCorrupt) -> Entry? {
        let stamp = try reader.stamp(path: wanted.path)
        guard stamp == wanted else { return nil }
        let digest = try reader.bool() ? ContentDigest(bytes: try reader.raw(ContentDigest.byteCount)) : nil
        let slugLine = Int(try reader.int())
        guard try reader.bool() else {
            return Entry(stamp: stamp, digest: digest, meta: nil, slugLine: slugLine, permalink: nil, record: record)
        }
        let source = try reader.string()
        // Kept as text: parsed when the post is shown (`PostMeta.permalink`).
        let permalinkText = try reader.string()
        let date = Date(timeIntervalSinceReferenceDate: try reader.double())
        let utcOffset = Int(try reader.int())
        let updated = Date(timeIntervalSinceReferenceDate: try reader.double())
        let categories = try reader.strings()
        let tags = try reader.strings()
        let draft = try reader.bool()
        let publishDate = Date(timeIntervalSinceReferenceDate: try reader.double())
        let expiryDate = try reader.bool() ? Date(timeIntervalSinceReferenceDate: try reader.double()) : nil
        // The details are passed over here, so a record cut short is caught now, and made
        // when the post is shown, from the same bytes.
        let detailsAt = reader.offset
        try reader.skipString()
        try reader.skipString()
        try reader.skipString()
        for _ in 0..<5 { try reader.skipOptionalString() }
        guard reader.atEnd else { throw CacheCorrupt() }
        let meta = PostMeta(
            source: source, permalinkText: permalinkText, date: date, utcOffset: utcOffset, updated: updated,
            categories: categories, tags: tags, draft: draft, publishDate: publishDate, expiryDate: expiryDate,
            details: nil,
            loader: {
                var reader = contents.reader(record)
                reader.seek(detailsAt)
                return (try? Self.decodeDetails(&reader))
                    ?? PostMeta.Details(
                        title: "", slug: "", author: Person(name: ""), description: nil, summaryOverride: nil, coverText: nil)
            })
        return Entry(stamp: stamp, digest: digest, meta: meta, slugLine: slugLine, permalink: permalinkText, record: record)
    }

    /// What `encode` wrote of `PostMeta.Details`, the last fields of a record.
    private static func decodeDetails(_ reader: inout CacheReader) throws(CacheCorrupt) -> PostMeta.Details {
        let title = try reader.string()
        let slug = try reader.string()
        let author = Person(name: try reader.string(), uri: try reader.optionalString(), email: try reader.optionalString())
        let details = PostMeta.Details(
            title: title, slug: slug, author: author, description: try reader.optionalString(),
            summaryOverride: try reader.optionalString(), coverText: try reader.optionalString())
        guard reader.atEnd else { throw CacheCorrupt() }
        return details
    }
}

/// A path's bytes inside the cache as read (or a caller's, for a lookup), compared as bytes.
/// `@unchecked Sendable`: the bytes are the log's, never written after it is read, and the
/// cache that holds these keys holds the log too.
private struct PathBytes: Hashable, @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    static func == (a: PathBytes, b: PathBytes) -> Bool {
        a.bytes.count == b.bytes.count && (a.bytes.isEmpty || memcmp(a.bytes.baseAddress!, b.bytes.baseAddress!, a.bytes.count) == 0)
    }

    func hash(into hasher: inout Hasher) { hasher.combine(bytes: bytes) }
}
