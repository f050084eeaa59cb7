import HeraldBase

/// `--listen HOST:PORT` (`127.0.0.1:8080`, `[::1]:8080`).
public struct ListenAddress: Sendable, CustomStringConvertible {
    public let host: String
    public let port: Int

    public init(_ text: String) throws(Failure) {
        let bad = Failure(.usage, "--listen \(text.debugDescription): expected HOST:PORT, e.g. 127.0.0.1:8080")
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (1...65535).contains(port)
        else { throw bad }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !host.contains(where: { $0 == " " || $0 == "/" }) else { throw bad }
        self.host = host
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
