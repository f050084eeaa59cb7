import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1.1 channel with a `RequestConformanceHandler` and a
/// `NotModifiedHandler` put in ahead of its conversion from NIO's HTTP/1 types
/// (Hummingbird's own hook for extra handlers comes after that conversion, where the
/// request's version and its repeated fields are gone).
struct NotModifiedHTTP1Channel: ServerChildChannel {
    let base: HTTP1Channel
    let cache: NotModifiedCache

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<HTTP1Channel.Value> {
        base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let conversion = try pipeline.handler(type: HTTP1ToHTTPServerCodec.self)
            try pipeline.addHandler(RequestConformanceHandler(), position: .before(conversion))
            try pipeline.addHandler(NotModifiedHandler(cache: cache), position: .before(conversion))
            return value
        }
    }

    func handle(value: HTTP1Channel.Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 whose repeated conditional GETs of unchanged files `cache` answers.
    static func http1(answeringFrom cache: NotModifiedCache) -> HTTPServerBuilder {
        .init { responder in NotModifiedHTTP1Channel(base: HTTP1Channel(responder: responder), cache: cache) }
    }
}
