import Foundation
import HeraldBase

/// `digest.bounce_address`: the envelope sender of digests, with the subscriber's token
/// after a `+` (VERP), so a bounce names its subscriber by the address it comes back to
/// (`bounces+TOKEN@example.org`), whatever the reporting server writes in its body.
public struct BounceAddress: Sendable, Hashable, CustomStringConvertible {
    public let address: EmailAddress
    /// `local+` and `@domain`, joined once here: the envelope is made per message.
    private let head: String
    private let tail: String

    /// Room for `+` and a 32-digit token within RFC 5321's 64-octet local part.
    static let maxLocalPart = 64 - 1 - 32

    public var description: String { address.ascii }

    init(_ text: String) throws(ConfigValueError) {
        let parsed: EmailAddress
        do { parsed = try EmailAddress(text) } catch { throw ConfigValueError(error.description) }
        guard !parsed.localPart.contains("+") else {
            throw ConfigValueError(
                "\(text.debugDescription) has a + in its local part; Herald adds +TOKEN itself (e.g. bounces@example.org)")
        }
        guard parsed.localPart.utf8.count <= Self.maxLocalPart else {
            throw ConfigValueError(
                "the local part of \(text.debugDescription) is longer than \(Self.maxLocalPart) octets, "
                    + "which leaves no room for +TOKEN")
        }
        address = parsed
        head = parsed.localPart + "+"
        tail = "@" + parsed.domain
    }

    /// MAIL FROM for one subscription: `local+TOKEN@domain`.
    public func envelope(token: String) -> String {
        head + token + tail
    }

    /// The token of an address this one made (`local+TOKEN@domain`, local part and domain
    /// without case, angle brackets allowed), else nil.
    public func token(in text: some StringProtocol) -> String? {
        var candidate = Substring(text).trimmingCharacters(in: .whitespaces)[...]
        if candidate.hasPrefix("<"), candidate.hasSuffix(">") { candidate = candidate.dropFirst().dropLast() }
        guard let at = candidate.lastIndex(of: "@"),
            candidate[candidate.index(after: at)...].lowercased() == address.domain
        else { return nil }
        let local = candidate[..<at]
        let prefix = head
        guard local.count > prefix.count, local.lowercased().hasPrefix(prefix.lowercased()) else { return nil }
        return String(local.dropFirst(prefix.count))
    }
}
