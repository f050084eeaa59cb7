import Testing

@testable import HeraldServe

/// A folder redirect's Location: the path as sent, one slash at a time, plus `/`.
@Suite struct FolderRedirectTests {
    @Test func locationsArePathAbsoluteAndKeepTheMount() {
        #expect(FolderRedirectMiddleware<ServeContext>.folderLocation("//tags") == "/tags/")
        #expect(FolderRedirectMiddleware<ServeContext>.folderLocation("///tags//rust") == "/tags/rust/")
        #expect(FolderRedirectMiddleware<ServeContext>.folderLocation("/news/tags") == "/news/tags/")
        #expect(FolderRedirectMiddleware<ServeContext>.folderLocation("/news//tags") == "/news/tags/")
    }
}
