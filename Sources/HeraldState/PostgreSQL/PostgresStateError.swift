import HeraldBase
import HeraldConfig

/// A PostgreSQL state that cannot be used, said without the password.
public enum PostgresStateError: ExitStatusError, Sendable {
    /// The password file is missing or unreadable.
    case passwordFile(path: String)
    /// The server refused the connection, or is not there.
    case connect(server: String, reason: String)
    /// TLS with the server failed (no TLS offered, an untrusted or misnamed certificate):
    /// `reason` says what to set.
    case tls(server: String, reason: String)
    /// The `sslrootcert=` CA file cannot be used.
    case caFile(path: String, reason: String)
    /// A statement failed (the server's message, never a bound value).
    case query(server: String, reason: String)
    /// A command that only reads met a schema an older Herald wrote; it may not upgrade it.
    case olderSchema(server: String)

    public var description: String {
        switch self {
        case .passwordFile(let path): "cannot read the state database's password file \(path)"
        case .connect(let server, let reason): "\(server): cannot connect to the state database: \(reason)"
        case .tls(let server, let reason): "\(server): no secure connection to the state database: \(reason)"
        case .caFile(let path, let reason): "sslrootcert \(path) in state: cannot be used: \(reason)"
        case .query(let server, let reason): "\(server): the state database refused a statement: \(reason)"
        case .olderSchema(let server):
            "\(server): the state database was written by an older Herald and needs an upgrade, which a command that "
                + "only reads does not do: run one that writes (herald subscribers add, herald serve, herald send)"
        }
    }

    public var exitStatus: ExitStatus {
        switch self {
        case .passwordFile: .config
        case .connect: .unavailable
        case .tls: .protocolError
        case .caFile: .config
        case .query: .ioError
        case .olderSchema: .unavailable
        }
    }
}
