import Crypto
import Foundation
import HeraldConfig

/// A per-subscriber unsubscribe token: `v1.<address>.<mac>`, both parts
/// URL-safe base64 without padding. The address travels in the token so
/// `herald unsubscribe` can apply it without a lookup table; the HMAC-SHA256
/// over the list identity and the address makes it unforgeable.
public enum UnsubscribeToken {
    static let version = "v1"

    /// `scope` keeps a token valid for one list only (use `listIdentity(of:)`).
    public static func make(address: String, secret: UnsubscribeSecret, scope: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: message(address, scope), using: SymmetricKey(data: secret.key))
        return [version, base64URL(Array(address.utf8)), base64URL(Array(mac))].joined(separator: ".")
    }

    /// The address the token was made for, or nil when it is malformed or was
    /// not signed with `secret` for `scope`. Constant-time comparison.
    public static func verify(_ token: String, secret: UnsubscribeSecret, scope: String) -> String? {
        let parts = token.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == version,
              let addressBytes = decodeBase64URL(parts[1]), let mac = decodeBase64URL(parts[2]),
              let address = String(bytes: addressBytes, encoding: .utf8) else { return nil }
        let valid = HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: message(address, scope),
                                                           using: SymmetricKey(data: secret.key))
        return valid ? address : nil
    }

    /// Verifies with the publication's configured secret and list identity:
    /// what `herald token verify` and `herald unsubscribe` call.
    public static func verify(_ token: String, for publication: Publication,
                              environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(DigestError) -> String? {
        let secret = try UnsubscribeSecret.required(for: publication, environment: environment)
        return verify(token, secret: secret, scope: listIdentity(of: publication))
    }

    /// The List-Id value (RFC 2919) without angle brackets: `digest.list_id`,
    /// else `NAME.host` of the base URL. Tokens are bound to it.
    public static func listIdentity(of publication: Publication) -> String {
        if let id = publication.digest.listID?.trimmingCharacters(in: .whitespaces), !id.isEmpty {
            return id.trimmingCharacters(in: CharacterSet(charactersIn: "<>"))
        }
        let label = publication.name.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") ? $0 : "-" }
        return String(label) + "." + (publication.baseURL.host ?? "localhost")
    }

    private static func message(_ address: String, _ scope: String) -> Data {
        Data("herald-unsubscribe-\(version)\0\(scope)\0\(address)".utf8)
    }

    /// Byte by byte rather than three string replacements: one token per message.
    static func base64URL(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        for byte in Data(bytes).base64EncodedData() {
            switch byte {
            case UInt8(ascii: "+"): out.append(UInt8(ascii: "-"))
            case UInt8(ascii: "/"): out.append(UInt8(ascii: "_"))
            case UInt8(ascii: "="): continue
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decodeBase64URL(_ text: Substring) -> [UInt8]? {
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
        return Data(base64Encoded: standard).map(Array.init)
    }
}
