import Crypto
import Foundation
import HeraldBase
import HeraldConfig
import _CryptoExtras

/// A DKIM private key read from PEM: Ed25519 (PKCS#8, as `openssl genpkey -algorithm
/// ed25519` and `herald dkim keygen` write it) or RSA. Signing is swift-crypto's.
/// Unchecked: swift-crypto 3 does not mark its immutable key values Sendable.
package enum DKIMKey: @unchecked Sendable {
    case ed25519(Curve25519.Signing.PrivateKey)
    case rsa(_RSA.Signing.PrivateKey)

    /// The one PKCS#8 layout of an Ed25519 key without its public half (RFC 8410 §7):
    /// these 16 bytes, then the 32-byte seed. swift-crypto 3 reads no Ed25519 PEM.
    private static let pkcs8Prefix: [UInt8] = [
        0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70,
        0x04, 0x22, 0x04, 0x20,
    ]

    package init(pem: String, algorithm: DKIMSettings.Algorithm) throws(MailConfigError) {
        switch algorithm {
        case .rsa:
            do { self = .rsa(try _RSA.Signing.PrivateKey(pemRepresentation: pem)) } catch {
                throw MailConfigError(message: "dkim.key_file is not an RSA private key in PEM form (\(error))")
            }
        case .ed25519:
            let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
            guard pem.contains("-----BEGIN PRIVATE KEY-----"), let der = Data(base64Encoded: String(body)),
                der.count == 48, Array(der.prefix(16)) == Self.pkcs8Prefix,
                let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: der.suffix(32))
            else {
                throw MailConfigError(
                    message: "dkim.key_file is not an Ed25519 private key in PKCS#8 PEM form "
                        + "(make one with herald dkim keygen, or openssl genpkey -algorithm ed25519)")
            }
            self = .ed25519(key)
        }
    }

    /// A new key, as `herald dkim keygen` writes it: its PEM and the DNS record's `p=` value.
    package static func generate(_ algorithm: DKIMSettings.Algorithm) throws -> (pem: String, publicKey: String) {
        switch algorithm {
        case .ed25519:
            let key = Curve25519.Signing.PrivateKey()
            let der = Data(pkcs8Prefix) + key.rawRepresentation
            let lines = der.base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
            return (
                "-----BEGIN PRIVATE KEY-----\n\(lines)\n-----END PRIVATE KEY-----\n",
                key.publicKey.rawRepresentation.base64EncodedString()
            )
        case .rsa:
            let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
            return (key.pemRepresentation + "\n", key.publicKey.derRepresentation.base64EncodedString())
        }
    }

    /// Reads `dkim.key_file` (relative to herald.yml), else the systemd credential `dkim-key`.
    package static func load(
        for settings: DKIMSettings, baseDirectory: URL,
        environment: [String: String]
    ) throws(MailConfigError) -> DKIMKey {
        let path: String
        if let file = settings.keyFile {
            path = URL(fileURLWithPath: file, relativeTo: baseDirectory).path
        } else if let dir = environment["CREDENTIALS_DIRECTORY"], !dir.isEmpty {
            path = URL(fileURLWithPath: dir).appendingPathComponent("dkim-key").path
        } else {
            throw MailConfigError(message: "dkim: set dkim.key_file or load the systemd credential dkim-key")
        }
        let pem: String
        do { pem = try SecretFile.text(of: path) } catch { throw MailConfigError(message: "dkim: the key file \(error)") }
        return try DKIMKey(pem: pem, algorithm: settings.algorithm)
    }

    func sign(_ digest: SHA256.Digest) throws -> Data {
        switch self {
        // RFC 8463: Ed25519 signs the SHA-256 hash of the canonical data.
        case .ed25519(let key): try key.signature(for: digest.withUnsafeBytes { Data($0) })
        case .rsa(let key): try key.signature(for: digest, padding: .insecurePKCS1v1_5).rawRepresentation
        }
    }
}
