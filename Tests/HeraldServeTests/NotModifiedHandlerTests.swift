import Foundation
import HeraldTestSupport
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import HeraldServe

/// The 304 replay in a pipeline of its own: what the router (played here by the test)
/// answered once is answered again from the cache, and only while it would still be right.
@Suite struct NotModifiedHandlerTests {
    let site: TempDir
    let channel: EmbeddedChannel

    init() throws {
        site = try TempDir()
        try site.write("public/atom.xml", "<feed/>")
        try site.write("public/archive/index.html", "<p>archive</p>")
        try site.write("news/atom.xml", "<feed>news</feed>")
        channel = EmbeddedChannel()
        let cache = NotModifiedCache(
            folders: MountedFolders([
                Self.mount("/", site.url.appendingPathComponent("public")),
                Self.mount("/news/", site.url.appendingPathComponent("news")),
            ]))
        try channel.pipeline.syncOperations.addHandler(NotModifiedHandler(cache: cache))
    }

    static func mount(_ path: String, _ folder: URL) -> (path: String, folder: URL, servable: ServableFiles) {
        (path, folder, ServableFiles(root: folder.path, databases: []))
    }

    static let notModified = HTTPResponseHead(
        version: .http1_1, status: .notModified,
        headers: ["ETag": "W/\"1\"", "Vary": "Accept-Encoding", "Date": "Mon, 01 Jan 2024 00:00:00 GMT"])

    func conditional(_ uri: String, _ extra: HTTPHeaders = [:], method: HTTPMethod = .GET) -> HTTPRequestHead {
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: ["If-None-Match": "W/\"1\""])
        head.headers.add(contentsOf: extra)
        return head
    }

    /// Sends a request; returns whether it reached the router.
    func send(_ head: HTTPRequestHead) throws -> Bool {
        try channel.writeInbound(HTTPServerRequestPart.head(head))
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        channel.pipeline.fireChannelReadComplete()
        guard case .head(let forwarded)? = try channel.readInbound(as: HTTPServerRequestPart.self) else { return false }
        #expect(forwarded == head)
        #expect(try channel.readInbound(as: HTTPServerRequestPart.self) == .end(nil))
        return true
    }

    /// The router's answer to the oldest request passed on.
    func routerAnswers(_ head: HTTPResponseHead) throws {
        try channel.writeOutbound(HTTPServerResponsePart.head(head))
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        #expect(try channel.readOutbound(as: HTTPServerResponsePart.self) == .head(head))
        #expect(try channel.readOutbound(as: HTTPServerResponsePart.self) == .end(nil))
    }

    /// The answer the handler wrote itself, if any.
    func replayed() throws -> HTTPResponseHead? {
        guard case .head(let head)? = try channel.readOutbound(as: HTTPServerResponsePart.self) else { return nil }
        #expect(try channel.readOutbound(as: HTTPServerResponsePart.self) == .end(nil))
        return head
    }

    @Test func theRoutersAnswerIsReplayedWithTodaysDate() throws {
        #expect(try send(conditional("/atom.xml")))
        try routerAnswers(Self.notModified)
        #expect(try !send(conditional("/atom.xml")))
        let head = try #require(try replayed())
        #expect(head.status == .notModified && head.headers["ETag"] == ["W/\"1\""] && head.headers["Vary"] == ["Accept-Encoding"])
        #expect(head.headers["Date"].count == 1 && head.headers["Date"] != Self.notModified.headers["Date"])
        #expect(head.headers["Date"].first?.hasSuffix(" GMT") == true)
    }

    @Test func anOtherwiseDifferentRequestGoesToTheRouter() throws {
        #expect(try send(conditional("/atom.xml")))
        try routerAnswers(Self.notModified)
        for other in [
            conditional("/atom.xml", ["Accept-Encoding": "gzip"]), conditional("/atom.xml", ["Accept": "text/html"]),
            conditional("/atom.xml", method: .HEAD), conditional("/atom.xml", ["If-Modified-Since": "x"]),
            HTTPRequestHead(version: .http1_1, method: .GET, uri: "/atom.xml", headers: ["If-None-Match": "W/\"2\""]),
        ] {
            #expect(try send(other))
            try routerAnswers(HTTPResponseHead(version: .http1_1, status: .ok))
        }
    }

    @Test func onlyPlainConditionalKeptAliveRequestsAreEverReplayed() throws {
        var close = conditional("/atom.xml")
        close.headers.add(name: "Connection", value: "close")
        var old = conditional("/atom.xml")
        old.version = .http1_0
        let refused = [
            conditional("/atom.xml?x=1"), conditional("/%61tom.xml"), conditional("/archive/../atom.xml"),
            conditional("//atom.xml"), conditional("/atom.xml", ["Range": "bytes=0-1"]),
            conditional("/atom.xml", ["If-Range": "W/\"1\""]), conditional("/atom.xml", ["If-None-Match": "W/\"1\""]),
            conditional("/atom.xml", method: .POST), close, old,
            HTTPRequestHead(version: .http1_1, method: .GET, uri: "/atom.xml"),
        ]
        for request in refused {
            #expect(try send(request))
            try routerAnswers(Self.notModified)
            #expect(try send(request), "replayed: \(request)")
            try routerAnswers(Self.notModified)
        }
    }

    @Test func aChangedFileIsNeverAnsweredFromTheCache() throws {
        #expect(try send(conditional("/atom.xml")))
        try routerAnswers(Self.notModified)
        // The build renames a new file into place: another inode.
        let replacement = try site.write("public/atom.xml.new", "<feed>2</feed>")
        #expect(rename(replacement.path, site.path + "/public/atom.xml") == 0)
        #expect(try send(conditional("/atom.xml")))
        try routerAnswers(HTTPResponseHead(version: .http1_1, status: .ok))
        // Written in place, same size: the change time moves.
        #expect(try send(conditional("/atom.xml")))
        try routerAnswers(Self.notModified)
        usleep(10_000)
        try site.write("public/atom.xml", "<feed>3</feed>")
        #expect(try send(conditional("/atom.xml")))
        try routerAnswers(Self.notModified)
        try FileManager.default.removeItem(atPath: site.path + "/public/atom.xml")
        #expect(try send(conditional("/atom.xml")))
        try routerAnswers(HTTPResponseHead(version: .http1_1, status: .notFound))
    }

    @Test func aFileThatChangesWhileTheRouterAnswersIsNotRecorded() throws {
        #expect(try send(conditional("/atom.xml")))
        let replacement = try site.write("public/atom.xml.new", "<feed>2</feed>")
        #expect(rename(replacement.path, site.path + "/public/atom.xml") == 0)
        try routerAnswers(Self.notModified)
        #expect(try send(conditional("/atom.xml")))
        try routerAnswers(Self.notModified)
    }

    @Test func onlyAnswersOfNotModifiedAreRecorded() throws {
        #expect(try send(conditional("/atom.xml")))
        try routerAnswers(HTTPResponseHead(version: .http1_1, status: .ok))
        #expect(try send(conditional("/atom.xml")))
        try routerAnswers(HTTPResponseHead(version: .http1_1, status: .notModified, headers: ["Connection": "close"]))
        #expect(try send(conditional("/atom.xml")))
        try routerAnswers(Self.notModified)
    }

    @Test func aFolderIsAnsweredForItsIndexPage() throws {
        #expect(try send(conditional("/archive/")))
        try routerAnswers(Self.notModified)
        #expect(try !send(conditional("/archive/")))
        #expect(try replayed() != nil)
        #expect(try send(conditional("/archive"))) // a folder: the router redirects
        try routerAnswers(HTTPResponseHead(version: .http1_1, status: .movedPermanently))
    }

    @Test func aPipelinedRequestIsNeverAnsweredBeforeTheOnesAheadOfIt() throws {
        #expect(try send(conditional("/atom.xml")))
        try routerAnswers(Self.notModified)
        // A slow request is with the router; the repeat behind it must wait its turn.
        try channel.writeInbound(HTTPServerRequestPart.head(HTTPRequestHead(version: .http1_1, method: .POST, uri: "/subscribe")))
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        _ = try channel.readInbound(as: HTTPServerRequestPart.self)
        _ = try channel.readInbound(as: HTTPServerRequestPart.self)
        #expect(try send(conditional("/atom.xml")))
        #expect(try replayed() == nil)
        try routerAnswers(HTTPResponseHead(version: .http1_1, status: .ok))
        try routerAnswers(Self.notModified)
        #expect(try !send(conditional("/atom.xml")))
        #expect(try replayed() != nil)
    }

    @Test func aFileInAnEarlierMountTakesOverThePath() throws {
        // /news/archive/ is the publication at /'s news/archive until /news/ has one.
        try site.write("public/news/feed.xml", "<feed/>")
        #expect(try send(conditional("/news/feed.xml")))
        try routerAnswers(Self.notModified)
        #expect(try !send(conditional("/news/feed.xml")))
        #expect(try replayed() != nil)
        try site.write("news/feed.xml", "<feed>news</feed>")
        #expect(try send(conditional("/news/feed.xml")))
        try routerAnswers(HTTPResponseHead(version: .http1_1, status: .ok))
    }

    @Test func fieldNamesMatchInAnyCase() throws {
        #expect(try send(conditional("/atom.xml", ["ACCEPT-encoding": "gzip"])))
        try routerAnswers(Self.notModified)
        #expect(try !send(conditional("/atom.xml", ["accept-Encoding": "gzip"])))
        #expect(try replayed() != nil)
        #expect(try send(conditional("/atom.xml")))
        try routerAnswers(Self.notModified)
        let request = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/atom.xml", headers: ["IF-NONE-MATCH": "W/\"1\""])
        #expect(try !send(request))
        #expect(try replayed() != nil)
    }
}
