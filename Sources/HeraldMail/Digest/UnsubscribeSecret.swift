import Foundation
import HeraldConfig

/// The key that signs unsubscribe tokens. Real digests need one from the
/// environment or a file; previews may use `.preview`, whose links do not work.
public struct UnsubscribeSecret: Sendable {
    public static let environmentVariable = "HERALD_UNSUBSCRIBE_SECRET"
    /// Short secrets make tokens guessable.
    static let minimumBytes = 16

    let key: [UInt8]
    /// True for the built-in preview secret: never for mail that is sent.
    public let isPreview: Bool

    public init(_ secret: String) throws(DigestError) {
        let trimmed = secret.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.utf8.count >= Self.minimumBytes else {
            throw .badUnsubscribeSecret("must be at least \(Self.minimumBytes) bytes (e.g. `openssl rand -hex 32`)")
        }
        key = Array(trimmed.utf8)
        isPreview = false
    }

    private init(previewKey: String) {
        key = Array(previewKey.utf8)
        isPreview = true
    }

    /// For `herald digest --out` without a configured secret: tokens signed
    /// with it are rejected by `verify` with the real secret.
    public static let preview = UnsubscribeSecret(previewKey: "herald-preview-secret-links-do-not-work")

    /// `HERALD_UNSUBSCRIBE_SECRET`, else `digest.unsubscribe_secret_file`
    /// (relative to the publication folder), else `$CREDENTIALS_DIRECTORY/unsubscribe-secret`
    /// (systemd `LoadCredential=`, see deploy/); nil when none is set.
    public static func configured(for publication: Publication,
                                  environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(DigestError) -> UnsubscribeSecret? {
        if let value = environment[environmentVariable], !value.isEmpty {
            return try UnsubscribeSecret(value)
        }
        let url: URL
        if let file = publication.digest.unsubscribeSecretFile {
            url = URL(fileURLWithPath: file, relativeTo: publication.directory)
        } else if let dir = environment["CREDENTIALS_DIRECTORY"], !dir.isEmpty,
                  FileManager.default.fileExists(atPath: dir + "/unsubscribe-secret") {
            url = URL(fileURLWithPath: dir).appendingPathComponent("unsubscribe-secret")
        } else {
            return nil
        }
        guard let data = FileManager.default.contents(atPath: url.path),
              let text = String(data: data, encoding: .utf8) else {
            throw .badUnsubscribeSecret("cannot read the unsubscribe secret file \(url.path)")
        }
        return try UnsubscribeSecret(text)
    }

    /// The configured secret, or an error saying how to configure one.
    public static func required(for publication: Publication,
                                environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(DigestError) -> UnsubscribeSecret {
        guard let secret = try configured(for: publication, environment: environment) else {
            throw .missingUnsubscribeSecret
        }
        return secret
    }
}
