import Foundation
import HTTPTypes
import HeraldConfig
import Hummingbird

/// A browser's request for a feed (`FeedPageRequest`) is answered with the feed's HTML page
/// (`atom.xml.html` beside `atom.xml`, which `herald build` writes) when there is one: the
/// page feed.xsl would make, for browsers without XSLT. Every feed's answer varies by
/// `Accept`, so a cache never hands one client what the other asked for; the 304 fast path
/// in `NotModifiedCache` leaves these requests to the router for the same reason.
struct FeedPageMiddleware<Context: RequestContext>: RouterMiddleware {
    let folders: MountedFolders

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let page = Self.pagePath(request.uri.path, accept: request.headers[values: .accept]),
            let decoded = page.removingPercentEncoding, !decoded.contains(".."), folders.file(for: decoded) != nil
        else { return try await next(request, context) }
        var head = request.head
        head.path = page + (request.uri.query.map { "?" + $0 } ?? "")
        var response = try await next(Request(head: head, body: request.body), context)
        if context.endpointPath == "FileMiddleware" { response.headers[.vary] = "Accept, Accept-Encoding" }
        return response
    }

    /// The URL path of the page to answer with instead of the feed at `path`, if the client
    /// is a browser and the path names a feed.
    static func pagePath(_ path: String, accept: [String]) -> String? {
        guard let slash = path.lastIndex(of: "/") else { return nil }
        let name = String(path[path.index(after: slash)...])
        guard SiteLayout.Name.isFeed(name), FeedPageRequest.prefersPage(accept) else { return nil }
        return String(path[...slash]) + SiteLayout.Name.feedPage(of: name)
    }
}
