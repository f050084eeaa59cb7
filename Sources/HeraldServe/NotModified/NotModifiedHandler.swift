import NIOCore
import NIOHTTP1

/// In each connection's pipeline ahead of the router (and of the conversion to HTTP types,
/// which costs as much as the answer): answers a conditional GET from `NotModifiedCache`
/// when it holds the router's 304 to the same request for the same file, and records the
/// router's 304s on their way out. Everything else passes through untouched.
final class NotModifiedHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let cache: NotModifiedCache
    /// Requests passed on whose answers have not ended, oldest first. An answer from here
    /// waits until there are none, or it would overtake theirs (pipelined HTTP/1.1).
    private var waiting = CircularBuffer<NotModifiedCache.Candidate?>()
    /// The request being read was answered here: its remaining parts go nowhere.
    private var answered = false
    private var unflushed = false

    init(cache: NotModifiedCache) {
        self.cache = cache
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let request) = unwrapInboundIn(data) else {
            if !answered { context.fireChannelRead(data) }
            return
        }
        let key = cache.key(request)
        if waiting.isEmpty, let key, let head = cache.answer(key) {
            answered = true
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.end(nil)), promise: nil)
            unflushed = true
            return
        }
        answered = false
        waiting.append(key.flatMap(cache.candidate))
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if unflushed {
            unflushed = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let response) where response.status.code >= 200:
            if let candidate = waiting.first ?? nil { cache.record(candidate, answer: response) }
        case .end:
            if !waiting.isEmpty { waiting.removeFirst() }
        default:
            break
        }
        context.write(data, promise: promise)
    }
}
