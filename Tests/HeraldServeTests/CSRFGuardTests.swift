import Foundation
import Testing

@testable import HeraldServe

/// Which `Origin` a form may come from: the published origin exactly, scheme, host and port.
@Suite struct CSRFGuardTests {
    let guardian = CSRFGuard(key: Array(repeating: 7, count: 32), siteOrigin: "https://example.org")

    func refuses(origin: String, authority: String) -> Bool {
        !guardian.sameOrigin(origin, authority: authority)
    }

    @Test func thePublishedOriginIsAccepted() {
        #expect(!refuses(origin: "https://example.org", authority: "example.org"))
    }

    /// A page at http://example.org is whoever is on the network path, not the site.
    @Test func anotherSchemeOrPortOfTheSiteIsRefused() {
        #expect(refuses(origin: "http://example.org", authority: "example.org"))
        #expect(refuses(origin: "https://example.org:8443", authority: "example.org"))
        #expect(refuses(origin: "http://example.org:8080", authority: "example.org:8080"))
        #expect(refuses(origin: "https://example.org.evil.test", authority: "example.org"))
        #expect(refuses(origin: "null", authority: "example.org"))
    }

    /// Herald reached directly under another name (an admin on the host) serves plain HTTP.
    @Test func heraldsOwnAddressIsItsPlainHTTPOrigin() {
        #expect(!refuses(origin: "http://127.0.0.1:8080", authority: "127.0.0.1:8080"))
        #expect(refuses(origin: "https://127.0.0.1:8080", authority: "127.0.0.1:8080"))
        #expect(refuses(origin: "http://127.0.0.1:8081", authority: "127.0.0.1:8080"))
    }

    @Test func aDefaultPortInTheBaseURLIsTheOriginWithout() throws {
        #expect(Mount.origin(of: try #require(URL(string: "https://Example.org:443/news/"))) == "https://example.org")
        #expect(Mount.origin(of: try #require(URL(string: "http://example.org:8080/"))) == "http://example.org:8080")
    }
}
