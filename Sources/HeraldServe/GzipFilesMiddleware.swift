import CompressNIO
import Foundation
import HTTPTypes
import HeraldConfig
import Hummingbird
import Synchronization

/// Around Hummingbird's FileMiddleware (which does ETag, Last-Modified, 304 and ranges):
/// `X-Content-Type-Options: nosniff`, feed content types, and gzip for text files when the client asks. A gzipped reply
/// carries the file's ETag with `-gzip` (as Apache does), so a cache never mixes the two
/// encodings; the suffix is taken off again before FileMiddleware compares, so such a
/// client still gets its 304.
struct GzipFilesMiddleware<Context: RequestContext>: RouterMiddleware {
    let folders: MountedFolders
    private let cache = GzipCache()

    static var compressible: Set<String> { ["xml", "rss", "xsl", "html", "htm", "css", "js", "json", "txt", "svg"] }

    /// Feeds by their names (archive page N is `N.xml` and `N.rss`), and their stylesheet.
    /// A browser (it asks for `text/html`) gets a feed as `application/xml`: Chromium shows
    /// `application/atom+xml` as plain text and applies `feed.xsl` only to an XML type.
    static func feedContentType(name: String, ext: String, browser: Bool) -> String? {
        let stem = name.dropLast(ext.count + 1)
        let feed: String
        switch ext {
        case "xml" where name == SiteLayout.Name.atom || (!stem.isEmpty && stem.allSatisfy { $0.isASCII && $0.isNumber }):
            feed = "application/atom+xml; charset=utf-8"
        case "xml" where name == SiteLayout.Name.rss, "rss":
            feed = "application/rss+xml; charset=utf-8"
        case "xsl":
            return "application/xslt+xml; charset=utf-8"
        default:
            return nil
        }
        return browser ? "application/xml; charset=utf-8" : feed
    }

    init(folders: MountedFolders) {
        self.folders = folders
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        let name = path.hasSuffix("/") ? "index.html" : String(path.split(separator: "/").last ?? "")
        let ext = name.split(separator: ".").last.map { $0.lowercased() } ?? ""
        let text = Self.compressible.contains(ext)
        let gzip =
            text && request.method == .get && request.headers[.range] == nil
            && Self.acceptsGzip(request.headers[values: .acceptEncoding])
        var request = request
        if gzip, let tag = request.headers[.ifNoneMatch], tag.contains("-gzip\"") {
            var head = request.head
            head.headerFields[.ifNoneMatch] = tag.replacingOccurrences(of: "-gzip\"", with: "\"")
            request = Request(head: head, body: request.body)
        }
        var response = try await next(request, context)
        guard context.endpointPath == "FileMiddleware" else { return response }
        // A file's type is its name's: a browser must not guess HTML from its bytes.
        response.headers[.xContentTypeOptions] = "nosniff"
        let browser = request.headers[values: .accept].contains { $0.contains("text/html") }
        let type = Self.feedContentType(name: name, ext: ext, browser: browser)
        if let type { response.headers[.contentType] = type }
        guard text else { return response }
        // A feed's answer depends on Accept: its type, or its page for a browser (FeedPageMiddleware).
        response.headers[.vary] = SiteLayout.Name.isFeed(name) ? "Accept, Accept-Encoding" : "Accept-Encoding"
        guard gzip, let etag = response.headers[.eTag], etag.hasSuffix("\"") else { return response }
        let gzipTag = String(etag.dropLast()) + "-gzip\""
        response.headers[.eTag] = gzipTag
        guard response.status == .ok, let file = file(for: path) else { return response }
        guard let body = try cache.compressed(file, tag: etag) else { return response }
        response.headers[.contentEncoding] = "gzip"
        response.headers[.contentLength] = String(body.readableBytes)
        response.headers[.acceptRanges] = nil
        response.body = .init(byteBuffer: body)
        return response
    }

    /// The file the FileMiddleware served for this path.
    private func file(for path: String) -> URL? {
        guard let decoded = path.removingPercentEncoding, !decoded.contains("..") else { return nil }
        return folders.file(for: decoded).map { URL(fileURLWithPath: $0.path) }
    }

    static func acceptsGzip(_ values: [String]) -> Bool {
        values.flatMap { $0.split(separator: ",") }.contains { item in
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard parts.first == "gzip" || parts.first == "x-gzip" else { return false }
            return !parts.dropFirst().contains { $0.replacingOccurrences(of: " ", with: "") == "q=0" }
        }
    }
}

/// Compressed bodies by file and ETag: a feed is compressed once per change, not per request.
final class GzipCache: Sendable {
    private let entries = Mutex<[String: (tag: String, body: ByteBuffer)]>([:])
    static let limit = 256

    func compressed(_ file: URL, tag: String) throws -> ByteBuffer? {
        if let hit = entries.withLock({ $0[file.path] }), hit.tag == tag { return hit.body }
        guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
        var buffer = ByteBuffer(bytes: data)
        let body = try buffer.compress(with: .gzip())
        entries.withLock { table in
            if table.count >= Self.limit { table.removeAll() }
            table[file.path] = (tag, body)
        }
        return body
    }
}
