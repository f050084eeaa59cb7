import Foundation
import GRDB
import HeraldBase

extension StateDatabase {
    /// The state database is not there: nothing was subscribed, imported or sent yet.
    public struct Missing: ExitStatusError, Sendable {
        public let path: String
        public var description: String {
            "\(path): no state database yet: nothing has been subscribed, imported or sent (herald subscribers add, herald serve and herald send create it)"
        }
        public var exitStatus: ExitStatus { .ioError }
    }

    /// The database opened for reading only, for commands that change no state (status,
    /// subscribers list and export, token verify and make): they work where the state folder
    /// or the file is read-only to them (another user's state, a read-only bind mount), and
    /// they never create the database nor change its schema.
    ///
    /// A WAL database is read through its `-shm` index; where that file does not exist and
    /// cannot be created, the file is read as it is on disk (`immutable`), which is then the
    /// whole database: a writer with its WAL open would have left the index behind.
    public static func readOnly(directory: URL) throws -> StateDatabase {
        let path = directory.appendingPathComponent("state.sqlite").path
        guard FileManager.default.fileExists(atPath: path) else { throw Missing(path: path) }
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(10)
        let pool: DatabasePool
        do {
            pool = try openReadable(path: path, config: config)
        } catch {
            throw OpenError(path: path, reason: "\(error)")
        }
        let current: Bool
        do { current = try pool.read { db in try Migrations.migrator.hasCompletedMigrations(db) } } catch {
            throw OpenError(path: path, reason: "\(error)")
        }
        // An older schema is brought up to date by the read-write open, where that is allowed.
        guard current else {
            do { return try StateDatabase(directory: directory) } catch {
                throw OpenError(
                    path: path,
                    reason: "it was written by an older Herald and needs an upgrade, which needs write access (\(error.reason))")
            }
        }
        return StateDatabase(directory: directory, pool: pool)
    }

    private static func openReadable(path: String, config: Configuration) throws -> DatabasePool {
        do {
            let pool = try DatabasePool(path: path, configuration: config)
            _ = try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") }
            return pool
        } catch let error as DatabaseError where error.resultCode == .SQLITE_READONLY || error.resultCode == .SQLITE_CANTOPEN {
            let uri = "file:" + (path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path) + "?immutable=1"
            let pool = try DatabasePool(path: uri, configuration: config)
            _ = try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") }
            return pool
        }
    }
}
