import Crypto
import Foundation

/// The unsubscribe tokens digests carried before the state moved to opaque tokens:
/// `v1.<address>.<mac>`, base64url, the MAC an HMAC-SHA256 over the list identity and the
/// address. Mail already in inboxes keeps them in its List-Unsubscribe header, and mailbox
/// providers replay that header long after, so they still unsubscribe, but only a
/// subscription that existed when the opaque tokens came (a re-subscribe ends them, as it
/// ends an opaque token: see `Migrations`, v4).
public struct LegacyUnsubscribeToken: Sendable {
    private let key: [UInt8]
    private let scope: String

    /// `key` is the unsubscribe secret's bytes, `scope` the publication's List-Id.
    public init(key: [UInt8], scope: String) {
        self.key = key
        self.scope = scope
    }

    static func looksLegacy(_ token: String) -> Bool { token.hasPrefix("v1.") }

    /// The address a token signed with this key for this list names; nil for anything else.
    /// The MAC is compared in constant time.
    func address(in token: String) -> String? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1", let addressBytes = Self.base64URL(parts[1]),
            let mac = Self.base64URL(parts[2]), let address = String(bytes: addressBytes, encoding: .utf8)
        else { return nil }
        let signed = Data("herald-unsubscribe-v1\0\(scope)\0\(address)".utf8)
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signed, using: SymmetricKey(data: key)) ? address : nil
    }

    /// The token as the old code made it: for tests of links in mail sent before the change.
    package func make(address: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data("herald-unsubscribe-v1\0\(scope)\0\(address)".utf8), using: SymmetricKey(data: key))
        return ["v1", Self.base64URL(Data(address.utf8)), Self.base64URL(Data(mac))].joined(separator: ".")
    }

    private static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private static func base64URL(_ text: Substring) -> [UInt8]? {
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
        return Data(base64Encoded: standard).map(Array.init)
    }
}
