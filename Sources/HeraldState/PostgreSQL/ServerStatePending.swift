import HeraldBase
import HeraldConfig

/// A command that keeps its state only in SQLite so far, asked to work on a publication
/// whose `state:` is a PostgreSQL database. Refused rather than quietly using a SQLite file
/// beside it, which would split the subscribers and the journal in two.
public struct ServerStatePending: ExitStatusError, Sendable {
    public let server: StateServer
    public let configPath: String

    public var description: String {
        "\(configPath): state: \(server) is a PostgreSQL database; this command keeps its state in SQLite only "
            + "so far (herald check connects to the database); leave state: as a folder to use it"
    }
    public var exitStatus: ExitStatus { .unavailable }

    /// Throws when the publication's state is a database server.
    public static func refuse(_ publication: Publication) throws(ServerStatePending) {
        if let server = publication.stateServer { throw ServerStatePending(server: server, configPath: publication.configPath) }
    }
}
