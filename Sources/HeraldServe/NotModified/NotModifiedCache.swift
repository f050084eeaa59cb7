import HTTPTypes
import Synchronization

/// The 304 answers the router gave to conditional GETs of static files, kept so a feed
/// reader's next identical poll is answered on the event loop without the router,
/// Hummingbird's FileMiddleware or the thread pool (issue 13's speed target; BENCHMARKS.md,
/// "Serve"). Nothing here decides whether a file is modified: an answer is only ever
/// one the router gave, replayed while `stat` shows the very same file.
final class NotModifiedCache: Sendable {
    /// A conditional request, by everything the static file middlewares read from it.
    struct Key: Hashable, Sendable {
        let method: HTTPRequest.Method
        let path: String
        let ifNoneMatch: String
        let ifModifiedSince: String
        let accept: String
        let acceptEncoding: String
    }

    /// What a replay needs: the file the answer was about and the answer's fields.
    struct Entry: Sendable {
        let file: String
        let identity: FileIdentity
        let fields: HTTPFields
    }

    /// A request that may be answered from here, with the file its path names as it was
    /// when the request came.
    struct Candidate: Sendable {
        let key: Key
        let file: String
        let identity: FileIdentity
    }

    static let limit = 4096

    /// URL path prefix ("/" or "/news/") and output folder, in the order the router's
    /// FileMiddlewares are tried, so a path names the file the router would serve.
    private let mounts: [(path: String, folder: String)]
    private let entries = Mutex<[Key: Entry]>([:])

    init(mounts: [(path: String, folder: String)]) {
        self.mounts = mounts
    }

    /// The request as a cache key, or nil when the router must see it: not a conditional
    /// GET or HEAD, a range, a query, `Connection: close`, or a path that needs decoding.
    func candidate(_ request: HTTPRequest) -> Candidate? {
        guard request.method == .get || request.method == .head, let path = request.path,
              Self.isPlain(path) else { return nil }
        let fields = request.headerFields
        let ifNoneMatch = fields[values: .ifNoneMatch].joined(separator: ", ")
        let ifModifiedSince = fields[values: .ifModifiedSince].joined(separator: ", ")
        guard !(ifNoneMatch.isEmpty && ifModifiedSince.isEmpty), fields[.range] == nil, fields[.ifRange] == nil,
              !fields[values: .connection].contains(where: { $0.lowercased().contains("close") }),
              let (file, identity) = file(for: path) else { return nil }
        let key = Key(method: request.method, path: path, ifNoneMatch: ifNoneMatch, ifModifiedSince: ifModifiedSince,
                      accept: fields[values: .accept].joined(separator: ", "),
                      acceptEncoding: fields[values: .acceptEncoding].joined(separator: ", "))
        return Candidate(key: key, file: file, identity: identity)
    }

    /// The router's earlier answer to this request, if the file is still the one it was about.
    func answer(_ candidate: Candidate) -> HTTPFields? {
        guard let entry = entries.withLock({ $0[candidate.key] }), entry.file == candidate.file,
              entry.identity == candidate.identity else { return nil }
        return entry.fields
    }

    /// Keeps the router's 304 when the file was the same when the request came and after
    /// the answer, so the middleware's validators were computed from exactly this file.
    func record(_ candidate: Candidate, answer: HTTPResponse) {
        guard answer.status == .notModified, answer.headerFields[.connection] == nil,
              FileIdentity(path: candidate.file) == candidate.identity else { return }
        let entry = Entry(file: candidate.file, identity: candidate.identity, fields: answer.headerFields)
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

    /// The first mount whose prefix the path has and whose folder holds something at the
    /// rest of it, as the router's FileMiddlewares go; nil unless that is a regular file.
    private func file(for path: String) -> (String, FileIdentity)? {
        for mount in mounts where path.hasPrefix(mount.path) {
            var rest = String(path.dropFirst(mount.path.count))
            if rest.isEmpty || rest.hasSuffix("/") { rest += "index.html" }
            let file = mount.folder + "/" + rest
            switch FileIdentity.look(at: file) {
            case .nothing: continue
            case .file(let identity): return (file, identity)
            case .other: return nil
            }
        }
        return nil
    }
}
