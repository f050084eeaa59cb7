import Foundation
import HeraldBase
import NIOCore
import NIOHTTP1

/// First in each connection's pipeline after NIO's HTTP/1 decoder: holds every request to
/// what HTTP/1.1 requires of its head, and answers each request in its client's version.
///
/// - A request with no `Host` (HTTP/1.1), two `Host` fields, or a path that decodes to a
///   control character (a NUL cuts a file name short where the system reads it) is
///   answered 400 after the answers to the requests before it, and the connection closes:
///   nothing after it on the connection can be trusted to be framed as the client meant.
/// - An HTTP/1.0 request is answered as HTTP/1.0; without keep-alive, or with an answer
///   of no stated length, the connection closes after it, which is how 1.0 ends a message.
final class RequestConformanceHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// The requests passed on whose answers have not ended, oldest first.
    private var waiting = CircularBuffer<(version: HTTPVersion, keepAlive: Bool)>()
    /// The answer being written ends the connection.
    private var closing = false
    /// A malformed request was read: nothing more is passed on, and it is answered once
    /// the requests before it are.
    private var refusing = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if refusing { return }
        guard case .head(let request) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        if !Self.isWellFormed(request) {
            refusing = true
            if waiting.isEmpty { refuse(context: context) }
            return
        }
        waiting.append((request.version, request.isKeepAlive))
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var response) where response.status.code >= 200:
            guard let request = waiting.first, request.version.major == 1, request.version.minor == 0 else { break }
            response.version = request.version
            closing = !request.keepAlive || !response.headers.contains(name: "Content-Length")
            response.headers.replaceOrAdd(name: "Connection", value: closing ? "close" : "keep-alive")
            context.write(wrapOutboundOut(.head(response)), promise: promise)
            return
        case .end:
            if !waiting.isEmpty { waiting.removeFirst() }
            if closing || (refusing && waiting.isEmpty) {
                let written = context.eventLoop.makePromise(of: Void.self)
                if let promise { written.futureResult.cascade(to: promise) }
                context.writeAndFlush(data, promise: written)
                if refusing && !closing {
                    refuse(context: context)
                } else {
                    let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
                    written.futureResult.whenComplete { _ in bound.value.close(promise: nil) }
                }
                closing = false
                return
            }
        default:
            break
        }
        context.write(data, promise: promise)
    }

    /// 400, then the connection closes.
    private func refuse(context: ChannelHandlerContext) {
        let body = context.channel.allocator.buffer(string: "bad request\n")
        let head = HTTPResponseHead(
            version: .http1_1, status: .badRequest,
            headers: [
                "Content-Type": "text/plain; charset=utf-8", "Content-Length": String(body.readableBytes),
                "X-Content-Type-Options": "nosniff", "Connection": "close",
            ])
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in bound.value.close(promise: nil) }
    }

    /// One `Host` (none allowed in HTTP/1.0), and a path whose percent-decoding is valid
    /// and has no control character.
    static func isWellFormed(_ request: HTTPRequestHead) -> Bool {
        var hosts = 0
        for (name, _) in request.headers where ASCIICase.equals(name, lowercase: "host") { hosts += 1 }
        let needsHost = request.version.major > 1 || (request.version.major == 1 && request.version.minor >= 1)
        guard hosts == 1 || (hosts == 0 && !needsHost) else { return false }
        return isCleanPath(request.uri)
    }

    /// Whether the path of a request target (before `?`) decodes to no control character.
    static func isCleanPath(_ uri: String) -> Bool {
        let path = uri.utf8.prefix { $0 != UInt8(ascii: "?") }
        guard path.contains(UInt8(ascii: "%")) else { return true }
        guard let decoded = String(Substring(path)).removingPercentEncoding else { return false }
        return !decoded.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || (0x80..<0xA0).contains($0.value) }
    }
}
