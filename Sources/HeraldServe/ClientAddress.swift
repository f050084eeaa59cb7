import Foundation
import HTTPTypes
import NIOCore

/// Who sent a request: the peer address, or, when the peer is a proxy on this machine
/// (nginx in front, see deploy/), the address it put in `X-Forwarded-For`. A client
/// talking to herald directly cannot choose its own address that way.
enum ClientAddress {
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    static func of(peer: SocketAddress?, headers: HTTPFields) -> String {
        let direct = peer?.ipAddress ?? "unknown"
        guard isLoopback(direct), let forwarded = headers[forwardedFor] else { return direct }
        // nginx sets the header to $remote_addr; a chain's last hop is the one nginx saw.
        let last = forwarded.split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        return last.isEmpty || last.count > 45 ? direct : last
    }

    static func isLoopback(_ address: String) -> Bool {
        address.hasPrefix("127.") || address == "::1" || address == "::ffff:127.0.0.1"
    }
}
