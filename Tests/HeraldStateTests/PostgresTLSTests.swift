import Foundation
import HeraldBase
import HeraldConfig
import HeraldTestSupport
import Testing

@testable import HeraldState

/// `sslmode` and `sslrootcert` against real servers: one with `ssl=on` and a certificate
/// signed by a CA made for the test, and the main test cluster, which has no TLS.
@Suite(.enabled(if: TestPostgres.available, "no PostgreSQL cluster: run through scripts/test-postgres"))
struct PostgresTLSTests {
    private func connect(_ url: String, _ cluster: TestPostgresTLS) throws -> Bool {
        let session = try PostgresSession(
            server: StateServer(url: url), password: cluster.password)
        defer { session.close() }
        let rows = try session.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        return try rows.first?.decode(Bool.self) ?? false
    }

    private func refusal(_ body: () throws -> Bool) -> PostgresStateError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error as? PostgresStateError
        }
    }

    @Test func eachModeAgainstAServerWithTLS() throws {
        let cluster = try TestPostgresTLS()
        let ca = cluster.caFile.path
        #expect(try connect(cluster.url("sslmode=verify-full&sslrootcert=\(ca)"), cluster))
        #expect(try connect(cluster.url(host: "localhost", "sslmode=verify-full&sslrootcert=\(ca)"), cluster))
        #expect(try connect(cluster.url("sslmode=verify-ca&sslrootcert=\(ca)"), cluster))
        #expect(try connect(cluster.url("sslrootcert=\(ca)"), cluster), "a CA named asks for verify-full")
        #expect(try connect(cluster.url("sslmode=require"), cluster))
        #expect(try connect(cluster.url(), cluster), "a loopback host prefers TLS")
        #expect(try !connect(cluster.url("sslmode=disable"), cluster))

        let untrusted = try #require(refusal { try connect(cluster.url("sslmode=verify-full"), cluster) })
        #expect(untrusted.exitStatus == .protocolError)
        #expect(untrusted.description.contains("not signed by a CA in the system's trust store"), "\(untrusted)")
        #expect(untrusted.description.contains("sslrootcert="))
        #expect(untrusted.description.contains("127.0.0.1:\(cluster.port)"))

        let missing = try #require(
            refusal { try connect(cluster.url("sslmode=verify-full&sslrootcert=/nonexistent/ca.pem"), cluster) })
        #expect(missing.exitStatus == .config)
        #expect(missing.description.contains("/nonexistent/ca.pem"))
    }

    @Test func aCAThatSignedSomethingElseIsRefused() throws {
        let cluster = try TestPostgresTLS()
        let other = try TestPostgresTLS()
        let error = try #require(
            refusal { try connect(cluster.url("sslmode=verify-ca&sslrootcert=\(other.caFile.path)"), cluster) })
        #expect(error.exitStatus == .protocolError)
        #expect(error.description.contains("not signed by the CA in \(other.caFile.path)"), "\(error)")
    }

    @Test func requireAgainstAServerWithoutTLSSaysWhatToSet() throws {
        let base = try #require(try TestPostgres.server)
        let url = "postgresql://\(base.host):\(base.port)/\(base.database)?user=herald&sslmode=require"
        do {
            _ = try PostgresState(server: StateServer(url: url))
            Issue.record("a server without TLS was accepted with sslmode=require")
        } catch let error as PostgresStateError {
            #expect(error.exitStatus == .protocolError)
            #expect(error.description.contains("offers no TLS"), "\(error)")
            #expect(error.description.contains("sslmode=disable"))
            #expect(error.description.contains("ssl in its postgresql.conf"))
        }
    }
}
