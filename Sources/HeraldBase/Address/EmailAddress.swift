import Foundation

/// A mailbox address, parsed once where it enters Herald (herald.yml, `subscribers add`,
/// an import) and checked against RFC 5321's `Mailbox` syntax.
///
/// Normalized so that one person is one subscriber: the domain is mapped by IDNA
/// (UTS 46, through libidn2) to its ASCII form, which lower-cases it, so
/// `A@Bücher.example`, `a@xn--bcher-kva.example` and `a@bücher.example` are equal. The local
/// part is sent as written (a receiving server may treat case as significant), but two
/// addresses that differ only in its case are one subscriber: no list wants both.
///
/// Refused although RFC 5321 allows them, because Herald cannot send to them and one such
/// subscriber must not stop a digest: quoted local parts (`"a b"@x.org`), address literals
/// (`x@[192.0.2.1]`), non-ASCII local parts (they need SMTPUTF8).
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    /// As written.
    public let localPart: String
    /// ASCII form (`xn--…` labels), lower-cased: what the SMTP envelope and headers carry.
    public let domain: String
    /// The domain as people read it (`bücher.example`), for lists and pages.
    public let unicodeDomain: String

    /// `local@unicode-domain`: what `subscribers list` shows and the database keeps.
    public var description: String { "\(localPart)@\(unicodeDomain)" }
    /// `local@ascii-domain`: for the envelope and headers.
    public var ascii: String { "\(localPart)@\(domain)" }
    /// What makes two addresses one subscriber: the local part without case, the ASCII domain.
    public var key: String { "\(localPart.lowercased())@\(domain)" }

    public static func == (a: EmailAddress, b: EmailAddress) -> Bool { a.key == b.key }
    public func hash(into hasher: inout Hasher) { hasher.combine(key) }

    /// Why an address was refused, for messages such as
    /// `subscribers.csv:7: "bob@" is not a valid address (the domain is empty)`.
    public struct Invalid: ExitStatusError, Sendable {
        public let input: String
        public let reason: String
        /// The input is echoed cut short (`EchoedValue`): an import may hand over a field of megabytes.
        public var description: String { "\(EchoedValue.quoted(input)) is not a valid address (\(reason))" }
        public var exitStatus: ExitStatus { .dataError }
    }

    public init(_ raw: String) throws(Invalid) {
        let input = raw.trimmingCharacters(in: .whitespaces)
        func invalid(_ reason: String) -> Invalid { Invalid(input: raw, reason: reason) }
        if let bad = input.unicodeScalars.first(where: { $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" }
        ) {
            throw invalid("it contains the control character \(bad.escaped(asASCII: true))")
        }
        // The domain never contains "@": split at the last one.
        guard let at = input.lastIndex(of: "@") else { throw invalid("no @") }
        let local = String(input[..<at])
        let domain = String(input[input.index(after: at)...])
        guard !local.isEmpty else { throw invalid("the local part before @ is empty") }
        guard !domain.isEmpty else { throw invalid("the domain is empty") }
        guard local.utf8.count <= 64 else { throw invalid("the local part is longer than 64 octets") }
        if local.hasPrefix("\"") { throw invalid("quoted local parts are valid SMTP but Herald does not send to them") }
        if domain.hasPrefix("[") { throw invalid("address literals are valid SMTP but Herald does not send to them; use a domain") }
        if !local.unicodeScalars.allSatisfy(\.isASCII) {
            throw invalid("a non-ASCII local part needs SMTPUTF8, which Herald does not send")
        }
        if let reason = Self.localPartProblem(local) { throw invalid(reason) }
        let names: DomainName
        do { names = try DomainName(domain) } catch { throw invalid(error.reason) }
        self.localPart = local
        self.domain = names.ascii
        self.unicodeDomain = names.unicode
    }

    /// An address read back from the state database, where only checked addresses are
    /// written; one that no longer passes (the rules grew stricter) is kept as it was
    /// stored rather than dropped, and its server will answer for it.
    package init(stored: String) {
        if let plain = Self.plainStored(stored) {
            self = plain
            return
        }
        if let parsed = try? EmailAddress(stored) {
            self = parsed
            return
        }
        let at = stored.lastIndex(of: "@") ?? stored.endIndex
        localPart = String(stored[..<at])
        domain = at < stored.endIndex ? String(stored[stored.index(after: at)...]).lowercased() : ""
        unicodeDomain = domain
    }

    /// The sender reads thousands of stored addresses a second, under the lock its
    /// connections take rows from, and nearly all are plain: an ASCII dot-atom local part and
    /// a lower-case letters-digits-hyphens domain, whose parse changes nothing. Those are
    /// checked byte by byte here (nil for anything else, which takes the full parse);
    /// `EmailAddressTests` holds the two to the same answers.
    static func plainStored(_ stored: String) -> EmailAddress? {
        let bytes = stored.utf8
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return nil }
        let local = bytes[..<at]
        let domain = bytes[bytes.index(after: at)...]
        guard !local.isEmpty, local.count <= 64, local.first != UInt8(ascii: "."), local.last != UInt8(ascii: "."),
            !domain.isEmpty, domain.count <= 253
        else { return nil }
        var previous: UInt8 = 0
        for byte in local {
            let dot = byte == UInt8(ascii: ".")
            guard dot ? previous != byte : isPlainAtext(byte) else { return nil }
            previous = byte
        }
        var labels = 0
        var labelStart = domain.startIndex
        var digitsOnly = true
        for index in domain.indices {
            let byte = domain[index]
            if byte == UInt8(ascii: ".") {
                guard plainLabel(domain[labelStart..<index]) else { return nil }
                labels += 1
                labelStart = domain.index(after: index)
                digitsOnly = true
                continue
            }
            guard (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == UInt8(ascii: "-") else { return nil }
            digitsOnly = digitsOnly && (0x30...0x39).contains(byte)
        }
        guard plainLabel(domain[labelStart...]), labels >= 1, !digitsOnly else { return nil }
        let text = String(decoding: domain, as: UTF8.self)
        return EmailAddress(localPart: String(decoding: local, as: UTF8.self), domain: text, unicodeDomain: text)
    }

    private static func plainLabel(_ label: Substring.UTF8View.SubSequence) -> Bool {
        !label.isEmpty && label.count <= 63 && label.first != UInt8(ascii: "-") && label.last != UInt8(ascii: "-")
            && !(label.count >= 4 && label.starts(with: "xn--".utf8))
    }

    private static func isPlainAtext(_ byte: UInt8) -> Bool {
        (0x61...0x7A).contains(byte) || (0x41...0x5A).contains(byte) || (0x30...0x39).contains(byte)
            || "!#$%&'*+-/=?^_`{|}~".utf8.contains(byte)
    }

    private init(localPart: String, domain: String, unicodeDomain: String) {
        self.localPart = localPart
        self.domain = domain
        self.unicodeDomain = unicodeDomain
    }

    // MARK: - RFC 5321 §4.1.2 grammar (Dot-string local part)

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
}
