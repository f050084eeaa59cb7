import Glibc
import HummingbirdCore
import NIOCore
import Synchronization

/// The server's open connections, kept within the process's descriptor limit: a server
/// that runs out of descriptors can no longer open its database or a file, and its
/// accept loop spins on EMFILE. At the cap, each new connection closes the connection that
/// has waited longest without a request in progress (one that sent nothing, trickles, or
/// idles between requests); when every connection is busy, nothing more is accepted until
/// one closes, and the rest wait in the kernel's backlog; a connection that finishes an
/// answer at the cap closes instead of waiting.
final class OpenConnections: Sendable {
    let limit: Int
    private struct Entry {
        let channel: any Channel
        /// When it began waiting for its next request; nil while one is read or answered.
        var waitingSince: NIODeadline?
    }
    private let table = Mutex<[ObjectIdentifier: Entry]>([:])

    init(limit: Int) { self.limit = limit }

    /// Connections for a descriptor limit: each may hold a file open while it sends one,
    /// and some descriptors stay for each publication's database (writer, readers, WAL),
    /// the log and SMTP.
    static func limit(descriptors: Int, publications: Int) -> Int {
        max(8, (descriptors - 32 - 16 * publications) / 2)
    }

    /// The process's soft descriptor limit (`LimitNOFILE=` under systemd, `ulimit -n` in a shell).
    static func descriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        return Int(clamping: min(limit.rlim_cur, 1 << 20))
    }

    var count: Int { table.withLock { $0.count } }

    func opened(_ channel: any Channel) {
        table.withLock { $0[ObjectIdentifier(channel)] = Entry(channel: channel, waitingSince: .now()) }
    }

    func closed(_ channel: any Channel) {
        _ = table.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    func busy(_ channel: any Channel) {
        table.withLock { $0[ObjectIdentifier(channel)]?.waitingSince = nil }
    }

    /// The connection waits for its next request. False at the cap: it is to close once its
    /// answer is written, because while every connection was busy nothing was accepted,
    /// and an idle one would keep the next waiting for its idle deadline.
    func waiting(_ channel: any Channel) -> Bool {
        table.withLock { table in
            let key = ObjectIdentifier(channel)
            guard table.count < limit else {
                table[key] = nil
                return false
            }
            table[key]?.waitingSince = .now()
            return true
        }
    }

    /// Closes the connection that has waited longest; false when none is waiting.
    @discardableResult
    func closeLongestWaiting() -> Bool {
        let victim = table.withLock { table -> (any Channel)? in
            guard
                let (key, entry) = table.filter({ $0.value.waitingSince != nil }).min(by: {
                    $0.value.waitingSince! < $1.value.waitingSince!
                })
            else { return nil }
            table[key] = nil
            return entry.channel
        }
        victim?.close(promise: nil)
        return victim != nil
    }

    /// Hummingbird's hook on the listening socket: counts accepted connections, makes room
    /// at the cap, and stops accepting while there is none.
    var acceptance: some AvailableConnectionsDelegate { Acceptance(connections: self) }

    private struct Acceptance: AvailableConnectionsDelegate {
        let connections: OpenConnections
        var accepted = 0

        mutating func connectionOpened() {
            accepted += 1
            if accepted >= connections.limit { connections.closeLongestWaiting() }
        }

        mutating func connectionClosed() { accepted -= 1 }

        func isAcceptingNewConnections() -> Bool { accepted < connections.limit }
    }
}
