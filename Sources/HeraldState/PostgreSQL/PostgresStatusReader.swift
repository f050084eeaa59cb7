import PostgresNIO

/// Reads one subscriber's status as committed at this moment, for one sender connection
/// just before each message starts: on a connection of its own (no other thread's
/// statement to wait behind), the statement prepared once, so the server neither parses
/// nor plans it again for every message (that was three quarters of its cost there).
/// Each read is its own autocommit statement, so it sees every commit made before it.
final class PostgresStatusReader: SubscriberStatusReader {
    private let session: PostgresSession
    private static let read = PostgresStatement("SELECT status FROM subscribers WHERE id = $1::bigint")

    init(state: PostgresState) throws(PostgresStateError) {
        session = try state.newSession()
    }

    deinit { session.close() }

    func status(of subscriber: Int64) throws -> Subscriber.Status? {
        var arguments = PostgresArguments()
        arguments.append(subscriber)
        return try session.execute(Self.read, arguments).first.flatMap { Subscriber.Status(rawValue: try $0.decode(String.self)) }
    }
}
