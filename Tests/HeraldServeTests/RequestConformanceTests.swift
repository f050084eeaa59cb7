import NIOHTTP1
import Testing

@testable import HeraldServe

/// The request heads `RequestConformanceHandler` refuses with a 400.
@Suite struct RequestConformanceTests {
    func head(_ uri: String, _ version: HTTPVersion = .http1_1, hosts: [String] = ["example.org"]) -> HTTPRequestHead {
        HTTPRequestHead(version: version, method: .GET, uri: uri, headers: HTTPHeaders(hosts.map { ("Host", $0) }))
    }

    @Test func aPathDecodingToAControlCharacterIsRefused() {
        for uri in ["/feed.json%00.html", "/a%0a", "/%0D", "/x%7f", "/x%C2%85", "/bad%zz"] {
            #expect(!RequestConformanceHandler.isWellFormed(head(uri)), "\(uri)")
        }
        for uri in ["/", "/atom.xml", "/caf%C3%A9/", "/a%20b", "/unsubscribe?token=%00"] {
            #expect(RequestConformanceHandler.isWellFormed(head(uri)), "\(uri)")
        }
    }

    @Test func http11NeedsExactlyOneHostAndHTTP10AtMostOne() {
        #expect(!RequestConformanceHandler.isWellFormed(head("/", hosts: [])))
        #expect(!RequestConformanceHandler.isWellFormed(head("/", hosts: ["a", "b"])))
        #expect(RequestConformanceHandler.isWellFormed(head("/", .http1_0, hosts: [])))
        #expect(!RequestConformanceHandler.isWellFormed(head("/", .http1_0, hosts: ["a", "a"])))
    }
}
