import HTTPTypes
import Hummingbird

/// A folder asked for without its final slash is redirected to the path as the client
/// sent it (mount included) plus `/`, with runs of slashes made one: always path-absolute
/// on this site, never `//host/…` (which a browser reads as another host). Herald's own
/// routes never redirect, so every redirect is the FileMiddleware's folder redirect, whose
/// own `Location` has lost the mount and keeps a leading `//`.
struct FolderRedirectMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        guard (300..<400).contains(response.status.code), response.headers[.location] != nil else { return response }
        response.headers[.location] = Self.folderLocation(request.uri.path)
        return response
    }

    /// `//tags` → `/tags/`, `/news//tags` → `/news/tags/`.
    static func folderLocation(_ path: String) -> String {
        var location = ""
        for character in path where !(character == "/" && location.hasSuffix("/")) { location.append(character) }
        if !location.hasPrefix("/") { location = "/" + location }
        return location.hasSuffix("/") ? location : location + "/"
    }
}
