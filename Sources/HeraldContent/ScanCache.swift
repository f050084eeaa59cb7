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
    static let magic = "herald scan cache 1"
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
    }

    package let path: String
    let key: [UInt8]
    /// By the stamp's path.
    package let entries: [String: Entry]
    /// Stamps at or after this (nanoseconds since 1970) may still change unseen.
    package let racyFrom: Int64

    /// The cache in `folder` for these inputs; empty when there is none, it is not
    /// whole, or it was made from other inputs.
    package static func load(folder: URL, key: [UInt8], now: Int64 = Self.now(), racyMargin: Int64 = Self.racyMargin) -> ScanCache {
        let path = folder.appendingPathComponent(fileName).path
        var entries: [String: Entry] = [:]
        if var reader = CacheFile.read(path, magic: magic, key: key) {
            do throws(CacheCorrupt) {
                entries = try Self.decode(&reader)
            } catch {
                entries = [:]
            }
        }
        return ScanCache(path: path, key: key, entries: entries, racyFrom: now - racyMargin)
    }

    /// The entry for `file` (relative to `directory`) when its stamp now (`stamp`, else
    /// taken here) is the entry's and, for a racy entry, its bytes are still the ones
    /// parsed. The digest is dropped once the stamp is old enough to prove the bytes by itself.
    package func entry(for file: String, in directory: Int32, stampedAs stampPath: String, stamp: FileStamp? = nil) -> Entry? {
        guard let entry = entries[stampPath] else { return nil }
        let stamp = stamp ?? FileStamp.of(file, in: directory, stampedAs: stampPath)
        guard stamp.readable, stamp == entry.stamp else { return nil }
        guard let digest = entry.digest else { return entry }
        guard let now = try? SourceText.digest(file, in: directory, stampedAs: stampPath), now.stamp == stamp, now.digest == digest
        else { return nil }
        return Entry(stamp: stamp, digest: needsDigest(stamp) ? digest : nil, meta: entry.meta, slugLine: entry.slugLine)
    }

    package func needsDigest(_ stamp: FileStamp) -> Bool { stamp.latestNanoseconds >= racyFrom }

    /// Writes `entries` as the cache for the next scan. A cache that cannot be written
    /// only costs the next build its speed.
    package func save(_ entries: [Entry]) throws(FileError) {
        var writer = CacheWriter(capacity: entries.count * 400)
        writer.uint(UInt64(entries.count))
        for entry in entries { Self.encode(entry, into: &writer) }
        try CacheFile.write(writer.bytes, to: path, magic: Self.magic, key: key)
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
        let stamp = entry.stamp
        writer.string(stamp.path)
        writer.int(stamp.size)
        writer.int(stamp.seconds)
        writer.int(stamp.nanoseconds)
        writer.int(stamp.changeSeconds)
        writer.int(stamp.changeNanoseconds)
        writer.uint(stamp.device)
        writer.uint(stamp.inode)
        writer.bool(entry.digest != nil)
        if let digest = entry.digest { writer.raw(digest.bytes) }
        writer.int(entry.slugLine)
        writer.bool(entry.meta != nil)
        guard let meta = entry.meta else { return }
        writer.string(meta.source)
        writer.string(meta.title)
        writer.string(meta.slug)
        writer.string(meta.permalink.absoluteString)
        writer.double(meta.date.timeIntervalSinceReferenceDate)
        writer.int(meta.utcOffset)
        writer.double(meta.updated.timeIntervalSinceReferenceDate)
        writer.string(meta.author.name)
        writer.string(meta.author.uri)
        writer.string(meta.author.email)
        writer.string(meta.description)
        writer.string(meta.summaryOverride)
        writer.strings(meta.categories)
        writer.strings(meta.tags)
        writer.string(meta.cover?.absoluteString)
        writer.bool(meta.draft)
        writer.double(meta.publishDate.timeIntervalSinceReferenceDate)
        writer.bool(meta.expiryDate != nil)
        if let expiry = meta.expiryDate { writer.double(expiry.timeIntervalSinceReferenceDate) }
    }

    private static func decode(_ reader: inout CacheReader) throws(CacheCorrupt) -> [String: Entry] {
        let count = try reader.count()
        var entries: [String: Entry] = [:]
        entries.reserveCapacity(count)
        for _ in 0..<count {
            let entry = try decodeEntry(&reader)
            entries[entry.stamp.path] = entry
        }
        guard reader.atEnd else { throw CacheCorrupt() }
        return entries
    }

    private static func decodeEntry(_ reader: inout CacheReader) throws(CacheCorrupt) -> Entry {
        let stamp = FileStamp(
            path: try reader.string(), readable: true, size: try reader.int(), seconds: try reader.int(),
            nanoseconds: try reader.int(), changeSeconds: try reader.int(), changeNanoseconds: try reader.int(),
            device: try reader.uint(), inode: try reader.uint())
        let digest = try reader.bool() ? ContentDigest(bytes: try reader.raw(ContentDigest.byteCount)) : nil
        let slugLine = Int(try reader.int())
        guard try reader.bool() else { return Entry(stamp: stamp, digest: digest, meta: nil, slugLine: slugLine) }
        let source = try reader.string()
        let title = try reader.string()
        let slug = try reader.string()
        guard let permalink = URL(string: try reader.string()) else { throw CacheCorrupt() }
        let date = Date(timeIntervalSinceReferenceDate: try reader.double())
        let utcOffset = Int(try reader.int())
        let updated = Date(timeIntervalSinceReferenceDate: try reader.double())
        let author = Person(name: try reader.string(), uri: try reader.optionalString(), email: try reader.optionalString())
        let description = try reader.optionalString()
        let summaryOverride = try reader.optionalString()
        let categories = try reader.strings()
        let tags = try reader.strings()
        let cover = try reader.optionalString()
        let coverURL = try cover.map { (text) throws(CacheCorrupt) -> URL in
            guard let url = URL(string: text) else { throw CacheCorrupt() }
            return url
        }
        let draft = try reader.bool()
        let publishDate = Date(timeIntervalSinceReferenceDate: try reader.double())
        let expiryDate = try reader.bool() ? Date(timeIntervalSinceReferenceDate: try reader.double()) : nil
        let meta = PostMeta(
            source: source, title: title, slug: slug, permalink: permalink, date: date, utcOffset: utcOffset,
            updated: updated, author: author, description: description, summaryOverride: summaryOverride,
            categories: categories, tags: tags, cover: coverURL, draft: draft, publishDate: publishDate,
            expiryDate: expiryDate)
        return Entry(stamp: stamp, digest: digest, meta: meta, slugLine: slugLine)
    }
}
