import Foundation
import HeraldBase
import HeraldState

/// Checks an address before it goes into a header or an SMTP envelope. Only
/// the plain `local@domain` form is accepted: no display name, no comments, no
/// quoted local part, nothing that could end a header line or an angle bracket.
/// Returns it with an internationalized domain in its `xn--` form; a non-ASCII
/// local part would need SMTPUTF8 (RFC 6531), which Herald does not send.
enum MailAddress {
    /// Built once: this runs for every message.
    private static let forbidden: Set<Unicode.Scalar> = ["<", ">", "(", ")", "[", "]", ",", ";", ":", "\\", "\"", " "]

    static func validated(_ address: String, role: String) throws(DigestError) -> String {
        let clean = address.unicodeScalars.allSatisfy { scalar in
            !forbidden.contains(scalar) && scalar.value > 0x20 && scalar.value != 0x7F
                && !(0x80...0x9F).contains(scalar.value) && !scalar.properties.isWhitespace
        }
        guard clean, let at = address.lastIndex(of: "@") else {
            throw .invalidAddress(address, role: role)
        }
        let local = address[..<at]
        let domain = address[address.index(after: at)...]
        guard !local.isEmpty, !domain.isEmpty, !domain.contains("@"), address.utf8.count <= 254,
              !domain.hasPrefix("."), !domain.hasSuffix("."), !domain.contains("..") else {
            throw .invalidAddress(address, role: role)
        }
        guard local.unicodeScalars.allSatisfy(\.isASCII) else {
            throw .invalidAddress(address, role: role, reason: "a non-ASCII local part needs SMTPUTF8, which Herald does not send")
        }
        guard let ascii = Punycode.asciiDomain(String(domain)) else { throw .invalidAddress(address, role: role) }
        return local + "@" + ascii
    }

    /// The part after the last `@`, for Message-IDs.
    static func domain(of address: String) -> String? {
        guard let at = address.lastIndex(of: "@") else { return nil }
        return String(address[address.index(after: at)...])
    }
}

extension MailAddress {
    /// Splits a configured mailbox, `Weekly <weekly@example.org>` or a bare
    /// address, into display name and validated address.
    static func mailbox(_ value: String, role: String) throws(DigestError) -> (name: String?, address: String) {
        let text = value.trimmingCharacters(in: .whitespaces)
        guard text.hasSuffix(">"), let open = text.lastIndex(of: "<") else {
            return (nil, try validated(text, role: role))
        }
        let address = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        var name = text[..<open].trimmingCharacters(in: .whitespaces)
        if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") { name = String(name.dropFirst().dropLast()) }
        return (name.isEmpty ? nil : name, try validated(address, role: role))
    }
}
