import Foundation
import HeraldConfig
import NIOSSL
import PostgresNIO

/// `sslmode` and `sslrootcert` of a `state:` URL as postgres-nio's TLS setting, and a
/// failed handshake as what the operator should change.
enum PostgresTLS {
    static func setting(for server: StateServer) throws(PostgresStateError) -> PostgresConnection.Configuration.TLS {
        guard server.sslMode != .disable else { return .disable }
        var tls = TLSConfiguration.makeClientConfiguration()
        switch server.sslMode {
        case .disable, .prefer: tls.certificateVerification = .none
        // libpq: with a CA file named, require checks the chain as verify-ca does.
        case .require: tls.certificateVerification = server.sslRootCert == nil ? .none : .noHostnameVerification
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        case .verifyFull: tls.certificateVerification = .fullVerification
        }
        if let file = server.sslRootCert {
            // Checked here so a missing file is named as such, not as a failed handshake.
            guard FileManager.default.isReadableFile(atPath: file.path) else {
                throw .caFile(path: file.path, reason: "no such file, or it cannot be read")
            }
            tls.trustRoots = .file(file.path)
        }
        let context: NIOSSLContext
        do { context = try NIOSSLContext(configuration: tls) } catch {
            throw .caFile(path: server.sslRootCert?.path ?? "(the system's trust store)", reason: "not PEM CA certificates: \(error)")
        }
        return server.sslMode.requiresTLS ? .require(context) : .prefer(context)
    }

    /// The TLS failure in `error` with what to set, or nil when it is not about TLS.
    static func failure(_ error: any Error, server: StateServer) -> PostgresStateError? {
        let shown = server.description
        if let psql = error as? PSQLError, psql.code == .sslUnsupported {
            return .tls(
                server: shown,
                reason: "the server offers no TLS and sslmode=\(server.sslMode.rawValue) requires it: turn on ssl in its "
                    + "postgresql.conf, or, on a network no one else reaches, add sslmode=disable to the URL")
        }
        let underlying = (error as? PSQLError)?.underlying ?? error
        if let extra = underlying as? NIOSSLExtraError, extra == .failedToValidateHostname {
            return .tls(
                server: shown,
                reason: "its certificate does not name \(server.host): connect by a name the certificate holds, or "
                    + "set ?sslmode=verify-ca to check only who signed it")
        }
        if let ssl = underlying as? NIOSSLError {
            let said = "\(ssl)"
            if said.contains("CERTIFICATE_VERIFY_FAILED") || said.contains("certificate verify failed") {
                let trusted =
                    server.sslRootCert.map { "the CA in \($0.path)" } ?? "a CA in the system's trust store"
                return .tls(
                    server: shown,
                    reason: "its certificate is not signed by \(trusted): add sslrootcert=PATH to the URL, naming the CA file that "
                        + "signed it (relative to herald.yml's folder)")
            }
            return .tls(server: shown, reason: "the TLS handshake failed: \(said)")
        }
        return nil
    }
}
