import Foundation

extension StateServer {
    /// libpq's `sslmode`, with libpq's meanings. The default is stricter than libpq's
    /// (`prefer` everywhere, which an attacker on the path defeats by answering "no TLS"):
    /// `verify-full` for a host reached over the network, where subscribers' addresses and
    /// the journal cross it, and `prefer` on a loopback host, which never leaves the machine.
    public enum SSLMode: String, Sendable, CaseIterable {
        /// Plain text.
        case disable
        /// TLS when the server offers it, without checking its certificate; else plain text.
        case prefer
        /// TLS or nothing; the certificate is checked against `sslrootcert` only when one is named.
        case require
        /// TLS with a certificate signed by a trusted CA, for any host name.
        case verifyCA = "verify-ca"
        /// TLS with a certificate signed by a trusted CA and naming the host connected to.
        case verifyFull = "verify-full"

        /// The mode when the URL names none (see the type's comment).
        public static func defaultMode(for host: String) -> SSLMode {
            SMTPSettings.isLoopback(host) ? .prefer : .verifyFull
        }

        /// Whether a server without TLS is refused.
        public var requiresTLS: Bool { self != .disable && self != .prefer }
    }
}
