import CCurl
import Foundation
import HeraldBase

/// GET of one feed over libcurl, or read of a `file://` one: conditional (ETag and
/// Last-Modified), gzip and deflate undone, redirects bounded and never to a scheme other
/// than http(s), the whole transfer within a timeout, the body within a size limit. The only
/// type of this target that holds a libcurl pointer, and only for the length of `fetch`.
public struct FeedFetcher: Sendable {
    /// Sent with every request, so a site's logs say what asked.
    let userAgent: String

    public init() { userAgent = "Herald/\(HeraldVersion.current) (feed to email digest)" }

    public func fetch(_ request: FetchRequest) throws(FetchFailure) -> FetchResult {
        if let path = Self.filePath(request.url) { return try readFile(path, request: request) }
        return try get(request)
    }

    /// The path of a `file://` URL, percent-decoded; nil for any other URL.
    static func filePath(_ url: String) -> String? {
        guard url.lowercased().hasPrefix("file://") else { return nil }
        return URL(string: url)?.path ?? String(url.dropFirst("file://".count))
    }

    private func readFile(_ path: String, request: FetchRequest) throws(FetchFailure) -> FetchResult {
        do {
            let bytes = try BoundedRead.contents(of: path, limit: request.maxBytes, regularOnly: true)
            return .fetched(FetchedBody(bytes: bytes, etag: nil, lastModified: nil, finalURL: request.url, contentType: nil))
        } catch .tooLarge(let limit) {
            throw FetchFailure(.tooLarge, url: request.url, message: "the feed is larger than \(BoundedRead.size(limit))")
        } catch {
            throw FetchFailure(.unreadableFile, url: request.url, message: "cannot read the feed file: \(error)")
        }
    }

    private func get(_ request: FetchRequest) throws(FetchFailure) -> FetchResult {
        let url = request.url
        if let problem = CCurl_load() { throw FetchFailure(.other, url: url, message: String(cString: problem)) }
        guard let handle = CCurl_easy_init() else { throw FetchFailure(.other, url: url, message: "curl_easy_init failed") }
        defer { CCurl_easy_cleanup(handle) }
        let body = Body(limit: request.maxBytes)
        let box = Unmanaged.passRetained(body)
        defer { box.release() }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        defer { errorBuffer.deallocate() }
        var headers: UnsafeMutablePointer<curl_slist>? = nil
        defer { CCurl_slist_free_all(headers) }
        headers = CCurl_slist_append(
            headers,
            "Accept: application/atom+xml, application/rss+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
        )
        if let etag = request.etag { headers = CCurl_slist_append(headers, "If-None-Match: \(etag)") }
        if let since = request.lastModified { headers = CCurl_slist_append(headers, "If-Modified-Since: \(since)") }

        var setup = CURLE_OK
        func set(_ code: CURLcode) { if setup == CURLE_OK { setup = code } }
        set(CCurl_easy_setopt_string(handle, CURLOPT_URL, url))
        set(CCurl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer))
        set(CCurl_easy_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"))
        // A feed that redirects to file:// (or anything else) would read this machine's files.
        set(CCurl_easy_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"))
        set(CCurl_easy_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1))
        set(CCurl_easy_setopt_long(handle, CURLOPT_MAXREDIRS, request.maxRedirects))
        set(CCurl_easy_setopt_long(handle, CURLOPT_TIMEOUT, request.timeout))
        set(CCurl_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, min(request.timeout, 10)))
        set(CCurl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
        // Empty: every encoding this libcurl can undo (gzip, deflate), undone before the limit counts.
        set(CCurl_easy_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, ""))
        set(CCurl_easy_setopt_long(handle, CURLOPT_MAXFILESIZE_LARGE, request.maxBytes))
        set(CCurl_easy_setopt_string(handle, CURLOPT_USERAGENT, userAgent))
        set(CCurl_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headers))
        set(CCurl_easy_setopt_write_function(handle, collectBody))
        set(CCurl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, box.toOpaque()))
        guard setup == CURLE_OK else {
            throw FetchFailure(.other, url: url, message: "libcurl refused a setting: \(String(cString: CCurl_easy_strerror(setup)))")
        }

        let code = CCurl_easy_perform(handle)
        var status = 0
        _ = CCurl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var redirects = 0
        _ = CCurl_easy_getinfo_long(handle, CURLINFO_REDIRECT_COUNT, &redirects)
        guard code == CURLE_OK else {
            var reason = String(cString: errorBuffer)
            if reason.isEmpty { reason = String(cString: CCurl_easy_strerror(code)) }
            throw Self.failure(code, reason: reason, url: url, request: request, redirects: redirects, body: body)
        }
        if status == 304 { return .notModified }
        guard (200..<300).contains(status) else {
            throw FetchFailure(
                .httpStatus(status), url: url,
                message: "the server answered HTTP \(status)\(Self.statusHint(status))")
        }
        var finalURL: UnsafePointer<CChar>? = nil
        _ = CCurl_easy_getinfo_string(handle, CURLINFO_EFFECTIVE_URL, &finalURL)
        var contentType: UnsafePointer<CChar>? = nil
        _ = CCurl_easy_getinfo_string(handle, CURLINFO_CONTENT_TYPE, &contentType)
        return .fetched(
            FetchedBody(
                bytes: body.bytes, etag: Self.header("ETag", handle), lastModified: Self.header("Last-Modified", handle),
                finalURL: finalURL.map { String(cString: $0) } ?? url, contentType: contentType.map { String(cString: $0) }))
    }

    /// A header of the last response (after redirects), through libcurl's header API.
    private static func header(_ name: String, _ handle: UnsafeMutableRawPointer) -> String? {
        var found: UnsafeMutablePointer<curl_header>? = nil
        guard CCurl_easy_header(handle, name, 0, UInt32(CURLH_HEADER), -1, &found) == CURLHE_OK, let found,
            let value = found.pointee.value
        else { return nil }
        let text = Whitespace.trimmed(String(cString: value))
        return text.isEmpty ? nil : text
    }

    private static func statusHint(_ status: Int) -> String {
        switch status {
        case 401, 403: ": the feed is not public; check source: in herald.yml"
        case 404, 410: ": no feed at this address; check source: in herald.yml"
        case 500...: ": the site has a problem; the next run tries again"
        default: ""
        }
    }

    private static func failure(
        _ code: CURLcode, reason: String, url: String, request: FetchRequest, redirects: Int, body: Body
    ) -> FetchFailure {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return FetchFailure(.noHost, url: url, message: "the host name does not resolve (\(reason)); check source: in herald.yml")
        case CURLE_OPERATION_TIMEDOUT:
            return FetchFailure(.timedOut, url: url, message: "no complete answer within \(request.timeout) s (\(reason))")
        case CURLE_COULDNT_CONNECT, CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE:
            return FetchFailure(.unreachable, url: url, message: "the server cannot be reached or broke off (\(reason))")
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_CRL_BADFILE, CURLE_SSL_SHUTDOWN_FAILED, CURLE_USE_SSL_FAILED, CURLE_SSL_ENGINE_INITFAILED:
            return FetchFailure(.tls, url: url, message: "TLS failed (\(reason)); the site's certificate or TLS setup is wrong")
        case CURLE_TOO_MANY_REDIRECTS:
            return FetchFailure(
                .redirects, url: url,
                message: "more than \(request.maxRedirects) redirects (a redirect loop?): put the feed's final address in source:")
        case CURLE_UNSUPPORTED_PROTOCOL where redirects > 0:
            return FetchFailure(.redirects, url: url, message: "redirected to an address that is not http(s) (\(reason))")
        case CURLE_FILESIZE_EXCEEDED:
            return FetchFailure(.tooLarge, url: url, message: "the feed is larger than \(BoundedRead.size(request.maxBytes))")
        case CURLE_WRITE_ERROR where body.overflowed:
            return FetchFailure(.tooLarge, url: url, message: "the feed is larger than \(BoundedRead.size(request.maxBytes))")
        default:
            return FetchFailure(.other, url: url, message: reason)
        }
    }

    /// The body as it arrives, through the write callback's userdata.
    final class Body {
        let limit: Int
        var bytes: [UInt8] = []
        var overflowed = false
        init(limit: Int) { self.limit = limit }
    }
}

/// CURLOPT_WRITEFUNCTION: appends to `Body`, and stops the transfer (a short count) past
/// its limit, which covers chunked and compressed answers that announce no length.
private func collectBody(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userdata: UnsafeMutableRawPointer?
) -> Int {
    guard let data, let userdata else { return 0 }
    let body = Unmanaged<FeedFetcher.Body>.fromOpaque(userdata).takeUnretainedValue()
    let n = size * count
    guard body.bytes.count + n <= body.limit else {
        body.overflowed = true
        return 0
    }
    body.bytes.append(contentsOf: UnsafeRawBufferPointer(start: data, count: n))
    return n
}
