import Crypto
import Foundation
import HeraldBase

/// The tokens in subscriber links: 128 random bits as 32 lower-case hex digits.
/// They carry nothing (no address, no id), so a web server log or a forwarded
/// mail reveals nobody; the state database binds them to one subscription.
public enum SubscriptionToken {
    public static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return Hex.lowercase((0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// Only well-formed tokens reach the database: anything else is refused unread.
    public static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == 32 && token.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// What is stored for a confirmation token, which is mailed once and never needed again.
    static func digest(_ token: String) -> String {
        Hex.lowercase(SHA256.hash(data: Data(token.utf8)))
    }
}
