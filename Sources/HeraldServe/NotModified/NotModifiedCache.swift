import Foundation
import HeraldBase
import HeraldConfig
import NIOHTTP1
import Synchronization

/// The 304 answers the router gave to conditional GETs of static files, kept so a feed
/// reader's next identical poll is answered on the event loop without the router,
/// Hummingbird's FileMiddleware or the thread pool, whose per-request cost bounds a routed 304
/// (BENCHMARKS.md, "Serve"). Nothing here decides whether a file is modified: an answer is only ever one
/// the router gave to the same request, replayed while `stat` shows the very same file.
final class NotModifiedCache: Sendable {
    /// A conditional request, by everything the router's static file middlewares read
    /// from it (GzipFilesMiddleware and FileMiddleware), each field as received.
    struct Key: Hashable, Sendable {
        let method: String
        let version: Int
        let path: String
        var ifNoneMatch: String?
        var ifModifiedSince: String?
        var accept: String?
        var acceptEncoding: String?
    }

    /// A request passed to the router that may be answered from here next time, with the
    /// file its path named when the request came.
    struct Candidate: Sendable {
        let key: Key
        let file: MountedFolders.File
    }

    /// The router's answer, and the file as it was when the request came and after the answer.
    private struct Entry {
        let file: MountedFolders.File
        var head: HTTPResponseHead
        /// The second `head`'s Date field shows.
        var second: Int
    }

    static let limit = 4096

    private let folders: MountedFolders
    private let entries = Mutex<[Key: Entry]>([:])

    init(folders: MountedFolders) {
        self.folders = folders
    }

    /// The request as a key, or nil when only the router may answer it: not a conditional
    /// GET or HEAD, not kept alive, a range, a query, a path that would need decoding, or
    /// a field the key holds given twice.
    func key(_ request: HTTPRequestHead) -> Key? {
        guard request.method == .GET || request.method == .HEAD, request.isKeepAlive,
            Self.isPlain(request.uri)
        else { return nil }
        var key = Key(
            method: request.method.rawValue, version: request.version.major * 10 + request.version.minor,
            path: request.uri)
        for (name, value) in request.headers {
            func set(_ field: WritableKeyPath<Key, String?>) -> Bool {
                guard key[keyPath: field] == nil else { return false }
                key[keyPath: field] = value
                return true
            }
            func named(_ lowercase: StaticString) -> Bool { ASCIICase.equals(name, lowercase: lowercase) }
            let fresh: Bool
            if named("range") || named("if-range") {
                return nil
            } else if named("accept") {
                fresh = set(\.accept)
            } else if named("if-none-match") {
                fresh = set(\.ifNoneMatch)
            } else if named("accept-encoding") {
                fresh = set(\.acceptEncoding)
            } else if named("if-modified-since") {
                fresh = set(\.ifModifiedSince)
            } else {
                fresh = true
            }
            if !fresh { return nil }
        }
        guard key.ifNoneMatch != nil || key.ifModifiedSince != nil else { return nil }
        // A browser's request for a feed is answered with another file, the feed's page
        // (FeedPageMiddleware), while the file checked here is the feed: only the router answers it.
        if let accept = key.accept, FeedPageMiddleware<ServeContext>.pagePath(key.path, accept: [accept]) != nil {
            return nil
        }
        return key
    }

    /// The router's earlier answer to this request, with this second's Date, if its path
    /// still names the same file, unchanged.
    func answer(_ key: Key) -> HTTPResponseHead? {
        let now = time(nil)
        let found: Entry? = entries.withLock { table in
            guard var entry = table[key] else { return nil }
            if entry.second != now {
                entry.second = now
                entry.head.headers.replaceOrAdd(name: "Date", value: InternetDates.http(Date(timeIntervalSince1970: TimeInterval(now))))
                table[key] = entry
            }
            return entry
        }
        guard let found, FileIdentity(path: found.file.path) == found.file.identity,
            !folders.isShadowed(key.path, before: found.file.mount)
        else { return nil }
        return found.head
    }

    /// The request as one to record the router's answer to, with the file its path names now.
    func candidate(_ key: Key) -> Candidate? {
        folders.file(for: key.path).map { Candidate(key: key, file: $0) }
    }

    /// Keeps the router's 304 when the file was the same when the request came and after
    /// the answer, so the middleware's validators were computed from exactly this file.
    func record(_ candidate: Candidate, answer: HTTPResponseHead) {
        guard answer.status == .notModified, !answer.headers.contains(name: "Connection"),
            FileIdentity(path: candidate.file.path) == candidate.file.identity
        else { return }
        let entry = Entry(file: candidate.file, head: answer, second: 0)
        entries.withLock { table in
            if table.count >= Self.limit { table.removeAll() }
            table[candidate.key] = entry
        }
    }

    /// Only paths made of unreserved characters and slashes: what they name needs no
    /// percent-decoding, has no `..` and no empty segment, so it is the file the
    /// FileMiddleware would open.
    static func isPlain(_ path: String) -> Bool {
        var previous: UInt8 = 0
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "~"):
                break
            case UInt8(ascii: "."):
                if previous == UInt8(ascii: ".") { return false }
            case UInt8(ascii: "/"):
                if previous == UInt8(ascii: "/") { return false }
            default:
                return false
            }
            previous = byte
        }
        return path.utf8.first == UInt8(ascii: "/")
    }
}
