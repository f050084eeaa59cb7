import HTTPTypes
import Hummingbird

/// HEAD of a file answered as its GET without the body: the same status and fields,
/// `Content-Length` and `Content-Encoding` included (FileMiddleware's own HEAD would skip
/// the gzip a GET gets). Outermost, so every middleware after it sees a GET; no GET
/// changes state, so running one for a HEAD is safe, and a file's body is only read when
/// written, so nothing is read. Routes get their HEAD from the router
/// (`autoGenerateHeadEndpoints`): a route is matched before any middleware runs.
struct HeadAsGetMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .head else { return try await next(request, context) }
        var head = request.head
        head.method = .get
        var response = try await next(Request(head: head, body: request.body), context)
        let length = response.headers[.contentLength]
        response.body = .init()
        response.headers[.contentLength] = length
        return response
    }
}
