import HeraldBase

/// Why a fetch gave nothing to read, each with what to check and the exit status a
/// script can tell apart: the name does not resolve, nobody answers, TLS fails, the
/// server says no, or the answer is too large.
public struct FetchFailure: ExitStatusError, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The host name does not resolve (EX_NOHOST).
        case noHost
        /// No connection, or no answer in time (EX_UNAVAILABLE / EX_TEMPFAIL).
        case unreachable
        case timedOut
        /// The TLS handshake or the certificate check failed (EX_PROTOCOL).
        case tls
        /// More redirects than allowed, or a redirect to a scheme that is not http(s).
        case redirects
        /// The server answered with this HTTP status.
        case httpStatus(Int)
        /// The body is larger than the limit.
        case tooLarge
        /// A `file://` source that cannot be read.
        case unreadableFile
        /// Anything else libcurl reports.
        case other
    }

    public let kind: Kind
    public let url: String
    public let message: String

    public init(_ kind: Kind, url: String, message: String) {
        self.kind = kind
        self.url = url
        self.message = message
    }

    public var description: String { "\(url): \(message)" }

    public var exitStatus: ExitStatus {
        switch kind {
        case .noHost: .noHost
        case .unreachable: .unavailable
        case .timedOut: .tempFail
        case .tls, .redirects: .protocolError
        // A server error may pass; a 4xx (gone, forbidden) needs someone to change the URL.
        case .httpStatus(let status): status >= 500 ? .tempFail : .unavailable
        case .tooLarge: .dataError
        case .unreadableFile: .ioError
        case .other: .unavailable
        }
    }
}
