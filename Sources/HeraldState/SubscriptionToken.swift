import Crypto
import Foundation
import HeraldBase

/// The tokens in subscriber links: 128 random bits as 32 lower-case hex digits.
/// They carry nothing (no address, no id), so a web server log or a forwarded
/// mail reveals nobody; the state database binds them to one subscription.
/// A value of this type is well-formed: `init?(_:)` is the one place the format is checked,
/// so text from a link, a form, a cookie or a bounce address is parsed once, where it arrives.
public struct SubscriptionToken: Sendable, Hashable, CustomStringConvertible {
    /// Exactly 32 of `0-9a-f`.
    public let description: String

    /// Nil for anything but 32 lower-case hex digits; upper case is refused too, since tokens
    /// are looked up as stored.
    public init?(_ text: some StringProtocol) {
        guard text.utf8.count == 32, text.utf8.allSatisfy(Self.isDigit) else { return nil }
        description = String(text)
    }

    private init(checked: String) { description = checked }

    public static func random() -> SubscriptionToken {
        var generator = SystemRandomNumberGenerator()
        return SubscriptionToken(checked: Hex.lowercase((0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }))
    }

    /// What is stored for a confirmation token, which is mailed once and never needed again.
    var digest: String {
        Hex.lowercase(SHA256.hash(data: Data(description.utf8)))
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte) }
}
