import HeraldBase
import HeraldConfig

/// A PostgreSQL state that cannot be used, said without the password.
public enum PostgresStateError: ExitStatusError, Sendable {
    /// The password file is missing or unreadable.
    case passwordFile(path: String)
    /// The server refused the connection, or is not there.
    case connect(server: String, reason: String)
    /// A statement failed (the server's message, never a bound value).
    case query(server: String, reason: String)
    /// A command that only reads met a schema an older Herald wrote; it may not upgrade it.
    case olderSchema(server: String)

    public var description: String {
        switch self {
        case .passwordFile(let path): "cannot read the state database's password file \(path)"
        case .connect(let server, let reason): "\(server): cannot connect to the state database: \(reason)"
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
        case .query: .ioError
        case .olderSchema: .unavailable
        }
    }
}
