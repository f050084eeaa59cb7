import NIOCore
import NIOHTTP1

/// Deadlines for a connection that holds a descriptor without using it. From when it opens,
/// or from the head of a request that follows an answered one, the whole request (head and
/// body) must arrive within `head`; after the last answer, the next request must begin
/// within `idle`. No deadline runs while a request is answered. It sits right after the
/// HTTP decoder, so it sees every request and every answer, whoever gives it. It also tells
/// `OpenConnections` when the connection waits, so the longest-waiting one can make room.
final class ConnectionDeadlines: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private enum Armed { case head, idle }

    private let head: TimeAmount
    private let idle: TimeAmount
    private let connections: OpenConnections
    private var deadline: (kind: Armed, task: Scheduled<Void>)?
    /// A request's head has arrived and its end not yet.
    private var reading = false
    /// Requests read whose answer has not been written to its end.
    private var unanswered = 0

    init(head: TimeAmount, idle: TimeAmount, connections: OpenConnections) {
        self.head = head
        self.idle = idle
        self.connections = connections
    }

    func handlerAdded(context: ChannelHandlerContext) {
        connections.opened(context.channel)
        if context.channel.isActive { arm(.head, context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
        connections.closed(context.channel)
    }

    func channelActive(context: ChannelHandlerContext) {
        if deadline == nil, !reading, unanswered == 0 { arm(.head, context: context) }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        connections.closed(context.channel)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            reading = true
            connections.busy(context.channel)
            if deadline?.kind != .head { arm(.head, context: context) }
        case .body:
            break
        case .end:
            reading = false
            unanswered += 1
            disarm()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .end = unwrapOutboundIn(data) else { return context.write(data, promise: promise) }
        unanswered = max(0, unanswered - 1)
        guard unanswered == 0, !reading else { return context.write(data, promise: promise) }
        if connections.waiting(context.channel) {
            arm(.idle, context: context)
            context.write(data, promise: promise)
        } else {
            disarm()
            let written = context.eventLoop.makePromise(of: Void.self)
            let channel = context.channel
            written.futureResult.whenComplete { _ in channel.close(promise: nil) }
            written.futureResult.cascade(to: promise)
            context.write(data, promise: written)
        }
    }

    private func arm(_ kind: Armed, context: ChannelHandlerContext) {
        disarm()
        let channel = context.channel
        let task = context.eventLoop.scheduleTask(in: kind == .head ? head : idle) { channel.close(promise: nil) }
        deadline = (kind, task)
    }

    private func disarm() {
        deadline?.task.cancel()
        deadline = nil
    }
}
