import Foundation
import HeraldBase
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// In each connection's pipeline before the router: answers a conditional GET from
/// `NotModifiedCache` when it holds the router's 304 for the same request and file, and
/// records the router's 304s on their way out. Everything else passes through untouched.
final class NotModifiedHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let cache: NotModifiedCache
    /// Requests passed on whose answers have not ended, oldest first. An answer from here
    /// waits until there are none, or it would overtake theirs (pipelined HTTP/1.1).
    private var waiting = CircularBuffer<NotModifiedCache.Candidate?>()
    /// The request being read was answered here: its remaining parts go nowhere.
    private var answered = false
    private var unflushed = false
    private var date = HTTPDateText()

    init(cache: NotModifiedCache) {
        self.cache = cache
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let request) = unwrapInboundIn(data) else {
            if !answered { context.fireChannelRead(data) }
            return
        }
        let candidate = cache.candidate(request)
        if waiting.isEmpty, let candidate, var fields = cache.answer(candidate) {
            answered = true
            fields[.date] = date.now()
            context.write(wrapOutboundOut(.head(HTTPResponse(status: .notModified, headerFields: fields))), promise: nil)
            context.write(wrapOutboundOut(.end(nil)), promise: nil)
            unflushed = true
            return
        }
        answered = false
        waiting.append(candidate)
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
        case .head(let response) where response.status.kind != .informational:
            if let candidate = waiting.first ?? nil { cache.record(candidate, answer: response) }
        case .end:
            if !waiting.isEmpty { waiting.removeFirst() }
        default:
            break
        }
        context.write(data, promise: promise)
    }
}

/// The Date field's text, formatted once a second.
private struct HTTPDateText {
    private var second = 0
    private var text = ""

    mutating func now() -> String {
        let now = time(nil)
        if now != second {
            second = now
            text = InternetDates.http(Date(timeIntervalSince1970: TimeInterval(now)))
        }
        return text
    }
}
