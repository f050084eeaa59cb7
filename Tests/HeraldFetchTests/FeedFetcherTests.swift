import Foundation
import HeraldBase
import HeraldTestSupport
import Testing

@testable import HeraldFetch

#if canImport(Glibc)
    import Glibc
#endif

/// The failures a fetch can meet without a server of its own (HTTP is held to a real
/// server in Tests/peers/test_feed_source.py): each with its kind and exit status.
@Suite struct FeedFetcherTests {
    let fetcher = FeedFetcher()

    func failure(_ request: FetchRequest) -> FetchFailure? {
        do {
            _ = try fetcher.fetch(request)
            return nil
        } catch { return error }
    }

    @Test func readsAFileURL() throws {
        let dir = try TempDir()
        let file = try dir.write("feed.xml", "<rss/>")
        let result = try fetcher.fetch(FetchRequest(url: file.absoluteString))
        guard case .fetched(let body) = result else {
            Issue.record("expected a body, got \(result)")
            return
        }
        #expect(body.bytes == Array("<rss/>".utf8))
        #expect(body.etag == nil)
    }

    @Test func aFileOverTheLimitIsRefused() throws {
        let dir = try TempDir()
        let file = try dir.write("feed.xml", String(repeating: "x", count: 2048))
        let error = failure(FetchRequest(url: file.absoluteString, maxBytes: 1024))
        #expect(error?.kind == .tooLarge)
        #expect(error?.exitStatus == .dataError)
        #expect(error?.description.contains("larger than 1 KiB") == true)
    }

    @Test func aFIFOOrAFolderIsRefusedWithoutBlocking() throws {
        let dir = try TempDir()
        let fifo = dir.url.appendingPathComponent("pipe.xml")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        #expect(failure(FetchRequest(url: fifo.absoluteString))?.kind == .unreadableFile)
        #expect(failure(FetchRequest(url: dir.url.absoluteString))?.kind == .unreadableFile)
        #expect(failure(FetchRequest(url: dir.url.appendingPathComponent("missing.xml").absoluteString))?.exitStatus == .ioError)
    }

    @Test func aHostThatDoesNotResolve() {
        let error = failure(FetchRequest(url: "https://no-such-host.invalid/feed.xml", timeout: 10))
        #expect(error?.kind == .noHost)
        #expect(error?.exitStatus == .noHost)
        #expect(error?.description.hasPrefix("https://no-such-host.invalid/feed.xml: ") == true)
    }

    @Test func aPortNobodyListensOn() throws {
        // Bound but never listening: a connection to it is refused at once.
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        #expect(bound)
        let port = UInt16(bigEndian: address.sin_port)
        let error = failure(FetchRequest(url: "http://127.0.0.1:\(port)/feed.xml", timeout: 10))
        #expect(error?.kind == .unreachable)
        #expect(error?.exitStatus == .unavailable)
    }

    @Test func noSchemeButHTTPAndFile() {
        #expect(failure(FetchRequest(url: "ftp://127.0.0.1/feed.xml"))?.kind == .other)
        #expect(failure(FetchRequest(url: "gopher://127.0.0.1/feed.xml")) != nil)
    }
}
