import Hummingbird

/// A request refused with one of the subscriber pages, thrown from where the refusal is
/// found (reading the body) and answered by Hummingbird as that page.
struct PageRefusal: HTTPResponseError {
    let page: Response
    var status: HTTPResponse.Status { page.status }

    init(_ page: Response) { self.page = page }

    func response(from request: Request, context: some RequestContext) throws -> Response { page }
}
