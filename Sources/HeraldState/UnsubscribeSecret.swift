import Crypto
import Foundation
import HeraldBase
import HeraldConfig

/// The key that signs unsubscribe tokens. Real digests need one from the
/// environment or a file; previews may use `.preview`, whose links do not work.
public struct UnsubscribeSecret: Sendable {
    public static let environmentVariable = "HERALD_UNSUBSCRIBE_SECRET"

    /// Why there is no usable secret; both are configuration (78).
    public enum Problem: ExitStatusError, Sendable, Hashable {
        /// None is configured, and sending needs one to sign unsubscribe links.
        case missing
        /// The secret exists but is unusable (too short, unreadable file).
        case unusable(String)

        public var description: String {
            switch self {
            case .missing:
                "no unsubscribe secret: set HERALD_UNSUBSCRIBE_SECRET or digest.unsubscribe_secret_file "
                    + "(e.g. `openssl rand -hex 32 > secret`), or load the systemd credential unsubscribe-secret; "
                    + "it signs the forms of `herald serve` and marks real digests apart from previews"
            case .unusable(let why): "unsubscribe secret: \(why)"
            }
        }

        public var exitStatus: ExitStatus { .config }
    }
    /// Short secrets make tokens guessable.
    static let minimumBytes = 16

    let key: [UInt8]
    /// True for the built-in preview secret: never for mail that is sent.
    public let isPreview: Bool

    public init(_ secret: String) throws(UnsubscribeSecret.Problem) {
        let trimmed = secret.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.utf8.count >= Self.minimumBytes else {
            throw .unusable("must be at least \(Self.minimumBytes) bytes (e.g. `openssl rand -hex 32`)")
        }
        key = Array(trimmed.utf8)
        isPreview = false
    }

    private init(previewKey: String) {
        key = Array(previewKey.utf8)
        isPreview = true
    }

    /// A key for one purpose (`herald serve`'s form tokens), so the secret itself signs nothing else.
    public func derivedKey(purpose: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Data(purpose.utf8), using: SymmetricKey(data: key)))
    }

    /// For `herald digest --out` without a configured secret: tokens signed
    /// with it are rejected by `verify` with the real secret.
    public static let preview = UnsubscribeSecret(previewKey: "herald-preview-secret-links-do-not-work")

    /// `HERALD_UNSUBSCRIBE_SECRET`, else `digest.unsubscribe_secret_file`
    /// (relative to the publication folder), else `$CREDENTIALS_DIRECTORY/unsubscribe-secret`
    /// (systemd `LoadCredential=`, see deploy/); nil when none is set.
    public static func configured(
        for publication: Publication,
        environment: [String: String] = ProcessInfo.processInfo.environment
    )
        throws(UnsubscribeSecret.Problem) -> UnsubscribeSecret?
    {
        if let value = environment[environmentVariable], !value.isEmpty {
            return try UnsubscribeSecret(value)
        }
        let url: URL
        if let file = publication.digest.unsubscribeSecretFile {
            url = URL(fileURLWithPath: file, relativeTo: publication.directory)
        } else if let dir = environment["CREDENTIALS_DIRECTORY"], !dir.isEmpty,
            FileManager.default.fileExists(atPath: dir + "/unsubscribe-secret")
        {
            url = URL(fileURLWithPath: dir).appendingPathComponent("unsubscribe-secret")
        } else {
            return nil
        }
        let text: String
        do { text = try SecretFile.text(of: url.path) } catch { throw .unusable("the secret file \(error)") }
        return try UnsubscribeSecret(text)
    }

    /// The configured secret, or an error saying how to configure one.
    public static func required(
        for publication: Publication,
        environment: [String: String] = ProcessInfo.processInfo.environment
    )
        throws(UnsubscribeSecret.Problem) -> UnsubscribeSecret
    {
        guard let secret = try configured(for: publication, environment: environment) else {
            throw .missing
        }
        return secret
    }
}
