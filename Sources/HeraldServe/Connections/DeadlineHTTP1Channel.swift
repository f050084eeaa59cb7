import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// An HTTP/1.1 child channel with `ConnectionDeadlines` put in right after the HTTP
/// decoder, ahead of every other handler (the 304 replay included).
struct DeadlineHTTP1Channel<Base: ServerChildChannel>: ServerChildChannel {
    let base: Base
    let head: TimeAmount
    let idle: TimeAmount
    let connections: OpenConnections

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Base.Value> {
        base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandler(
                ConnectionDeadlines(head: head, idle: idle, connections: connections), position: .after(decoder))
            return value
        }
    }

    func handle(value: Base.Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with the 304 replay of `cache`, connection deadlines, and `connections` kept.
    static func http1(
        answeringFrom cache: NotModifiedCache, head: TimeAmount, idle: TimeAmount, connections: OpenConnections
    ) -> HTTPServerBuilder {
        .init { responder in
            DeadlineHTTP1Channel(
                base: NotModifiedHTTP1Channel(base: HTTP1Channel(responder: responder), cache: cache),
                head: head, idle: idle, connections: connections)
        }
    }
}
