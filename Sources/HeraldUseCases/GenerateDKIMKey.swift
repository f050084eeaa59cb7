import Foundation
import HeraldBase
import HeraldConfig
import HeraldMail

/// `herald dkim keygen`: a new private key written with mode 0600 (never over an existing
/// file, which DNS may still name), and the TXT record to publish.
public enum GenerateDKIMKey {
    public struct Outcome: Sendable {
        public let path: String
        public let record: String
    }

    public static func run(algorithm: DKIMSettings.Algorithm, selector: String, domain: String, out: String?) throws -> Outcome {
        let path = out ?? "dkim-\(selector).\(domain).pem"
        guard !FileManager.default.fileExists(atPath: path) else {
            throw Failure(.cantCreate, "\(path) exists: herald does not overwrite a key (DNS may still name it)")
        }
        let (pem, publicKey) = try DKIMKey.generate(algorithm)
        guard FileManager.default.createFile(atPath: path, contents: Data(pem.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw Failure(.cantCreate, "\(path): cannot write the key")
        }
        let kind = algorithm == .ed25519 ? "ed25519" : "rsa"
        return Outcome(path: path, record: "\(selector)._domainkey.\(domain). IN TXT \"v=DKIM1; k=\(kind); p=\(publicKey)\"")
    }
}
