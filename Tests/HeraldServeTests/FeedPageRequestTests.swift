import Testing

@testable import HeraldServe

@Suite struct FeedPageRequestTests {
    @Test(arguments: [
        // Chromium, Firefox and Safari opening an address.
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "text/html, application/xml;q=0.9, */*;q=0.8",
    ])
    func browsersGetThePage(accept: String) {
        #expect(FeedPageRequest.prefersPage([accept]))
    }

    @Test(arguments: [
        // feedparser, a reader naming every feed type, curl, none at all, and ties.
        "application/atom+xml,application/rdf+xml,application/rss+xml,application/x-netcdf,application/xml;q=0.9,text/xml;q=0.2,*/*;q=0.1",
        "application/rss+xml, application/atom+xml, application/feed+json, text/xml, application/xml, */*",
        "*/*", "", "text/html, application/atom+xml", "application/rss+xml, text/html;q=0.5", "text/html;q=0",
    ])
    func feedReadersGetTheFeed(accept: String) {
        #expect(!FeedPageRequest.prefersPage([accept]))
    }

    @Test func onlyFeedsHaveAPage() {
        let browser = ["text/html,application/xml;q=0.9"]
        #expect(FeedPageMiddleware<ServeContext>.pagePath("/news/atom.xml", accept: browser) == "/news/atom.xml.html")
        #expect(FeedPageMiddleware<ServeContext>.pagePath("/tags/a/feed.json", accept: browser) == "/tags/a/feed.json.html")
        #expect(FeedPageMiddleware<ServeContext>.pagePath("/archive/3.rss", accept: browser) == "/archive/3.rss.html")
        #expect(FeedPageMiddleware<ServeContext>.pagePath("/feed.xsl", accept: browser) == nil)
        #expect(FeedPageMiddleware<ServeContext>.pagePath("/archive/", accept: browser) == nil)
        #expect(FeedPageMiddleware<ServeContext>.pagePath("/atom.xml", accept: ["application/atom+xml"]) == nil)
    }
}
