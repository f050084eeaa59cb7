import Crypto
import Foundation
import HeraldBase

/// How a log line names a subscriber without the address: a short keyed hash of it
/// (`subscriber=3f9c0a51d2e7`). The same address gets the same tag in every line and every
/// run, so one subscriber's requests can be followed through the log, and whoever holds the
/// unsubscribe secret can compute an address's tag to look it up (`herald token tag`); a log
/// read without the secret cannot be matched against a list of addresses.
public struct AddressTag: Sendable {
    private let key: [UInt8]

    public init(secret: UnsubscribeSecret) {
        key = secret.derivedKey(purpose: "herald-log-address")
    }

    /// 48 bits as 12 hex digits: no two of a publication's subscribers are likely to share one.
    public func callAsFunction(_ address: EmailAddress) -> String {
        Hex.lowercase(HMAC<SHA256>.authenticationCode(for: Data(address.key.utf8), using: SymmetricKey(data: key)).prefix(6))
    }

    /// An address as the state database stores it.
    public func callAsFunction(stored address: String) -> String { self(EmailAddress(stored: address)) }
}

extension AddressTag {
    /// `text` (a server's reply, an error) with the address in it, in any letter case, replaced
    /// by its tag: an SMTP refusal usually quotes the recipient.
    public func redact(_ text: String, _ address: EmailAddress) -> String {
        var text = text
        for spelling in Set([address.description, address.key]) {
            text = text.replacingOccurrences(of: spelling, with: "subscriber " + self(address), options: .caseInsensitive)
        }
        return text
    }
}
