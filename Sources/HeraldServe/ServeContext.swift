import Hummingbird
import NIOCore

/// The request context of `herald serve`: Hummingbird's core storage plus the peer
/// address, which the rate limiter and the consent record need.
struct ServeContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let peer: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peer = source.channel.remoteAddress
    }

    /// Form posts are small; larger bodies are refused with 413 before they are read whole.
    var maxUploadSize: Int { FormBody.maximumBytes }
}
