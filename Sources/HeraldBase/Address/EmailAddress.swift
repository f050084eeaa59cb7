import Foundation

/// A mailbox checked against RFC 5321's `Mailbox` syntax and normalized the one
/// way that is always safe: the domain lower-cased (the local part may be
/// case-sensitive on the receiving server, so it is kept as written).
///
/// Accepted: dot-atom local parts (`first.last+tag`) and domains, IDN domains in
/// Unicode form (`ana@bücher.example`, sent as `xn--`). Refused although RFC 5321
/// allows them, because Herald cannot send to them and one such subscriber must not
/// stop a digest: quoted local parts (`"a b"@x.org`), address literals
/// (`x@[192.0.2.1]`), non-ASCII local parts (they need SMTPUTF8).
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    public let localPart: String
    /// Lower-cased; Unicode labels are kept in Unicode form.
    public let domain: String

    public var description: String { "\(localPart)@\(domain)" }

    /// Why an address was refused, for messages such as
    /// `subscribers.csv:7: "bob@" is not a valid address (the domain is empty)`.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public let input: String
        public let reason: String
        public var description: String { "\"\(input)\" is not a valid address (\(reason))" }
    }

    public init(_ raw: String) throws(Invalid) {
        let input = raw.trimmingCharacters(in: .whitespaces)
        func invalid(_ reason: String) -> Invalid { Invalid(input: raw, reason: reason) }
        // The domain never contains "@": split at the last one.
        guard let at = input.lastIndex(of: "@") else { throw invalid("no @") }
        let local = String(input[..<at])
        let domain = String(input[input.index(after: at)...])
        guard !local.isEmpty else { throw invalid("the local part before @ is empty") }
        guard !domain.isEmpty else { throw invalid("the domain is empty") }
        guard local.utf8.count <= 64 else { throw invalid("the local part is longer than 64 octets") }
        guard domain.utf8.count <= 253 else { throw invalid("the domain is longer than 253 octets") }
        if local.hasPrefix("\"") { throw invalid("quoted local parts are valid SMTP but Herald does not send to them") }
        if domain.hasPrefix("[") { throw invalid("address literals are valid SMTP but Herald does not send to them; use a domain") }
        if !local.unicodeScalars.allSatisfy(\.isASCII) { throw invalid("a non-ASCII local part needs SMTPUTF8, which Herald does not send") }
        if let reason = Self.localPartProblem(local) { throw invalid(reason) }
        if let reason = Self.domainProblem(domain) { throw invalid(reason) }
        self.localPart = local
        self.domain = domain.lowercased()
    }

    // MARK: - RFC 5321 §4.1.2 grammar (Dot-string local part, Domain)

    /// atext of RFC 5322 (non-ASCII local parts are refused before this is asked).
    private static func isAtext(_ u: Unicode.Scalar) -> Bool {
        if u.value >= 0x61 && u.value <= 0x7A || u.value >= 0x41 && u.value <= 0x5A || u.value >= 0x30 && u.value <= 0x39 {
            return true
        }
        return "!#$%&'*+-/=?^_`{|}~".unicodeScalars.contains(u)
    }

    private static func localPartProblem(_ local: String) -> String? {
        for atom in local.split(separator: ".", omittingEmptySubsequences: false) {
            if atom.isEmpty { return "empty part between dots in \"\(local)\"" }
            if let bad = atom.unicodeScalars.first(where: { !isAtext($0) }) {
                return "\"\(bad.escaped(asASCII: false))\" is not allowed in the local part"
            }
        }
        return nil
    }

    private static func domainProblem(_ domain: String) -> String? {
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return "the domain \"\(domain)\" has no dot (mail needs a fully qualified domain)" }
        for label in labels {
            if label.isEmpty { return "empty label in the domain \"\(domain)\"" }
            // Unicode labels become "xn--" + punycode on the wire, a little longer than
            // their UTF-8 form is short: 63 octets of UTF-8 is a close, safe bound.
            if label.utf8.count > 63 { return "the domain label \"\(label)\" is longer than 63 octets" }
            if label.hasPrefix("-") || label.hasSuffix("-") { return "the domain label \"\(label)\" starts or ends with a hyphen" }
            for ch in label.unicodeScalars where !(ch == "-" || ch.properties.isAlphabetic || ch.properties.numericType != nil) {
                return "\"\(ch.escaped(asASCII: false))\" is not allowed in a domain"
            }
        }
        if labels.last!.allSatisfy(\.isASCIIDigitChar) { return "the top-level domain cannot be numeric" }
        return nil
    }
}

private extension Character {
    var isASCIIDigitChar: Bool { isASCII && isNumber }
}
