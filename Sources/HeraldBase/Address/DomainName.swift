import CIDN2
import Foundation

/// A mail domain in both forms: ASCII (`xn--bcher-kva.example`, for the wire) and Unicode
/// (`bücher.example`, for people). IDNA2008 with UTS 46 non-transitional mapping comes
/// from libidn2, so case, width and the ideographic full stop are mapped as browsers and
/// mail providers map them; Herald keeps no Unicode tables of its own.
package struct DomainName: Sendable, Hashable {
    package let ascii: String
    package let unicode: String

    package struct Invalid: Error, Sendable {
        package let reason: String
    }

    package init(_ text: String) throws(Invalid) {
        if text.utf8.allSatisfy({ $0 < 0x80 }) && !text.lowercased().contains("xn--") {
            // The common case needs no IDNA: ASCII letters, digits and hyphens, lower-cased.
            ascii = text.lowercased()
            unicode = ascii
        } else {
            ascii = try Self.toASCII(text)
            unicode = (try? Self.toUnicode(ascii)) ?? ascii
        }
        if let reason = Self.hostnameProblem(ascii) { throw Invalid(reason: reason) }
    }

    private static func toASCII(_ text: String) throws(Invalid) -> String {
        var output: UnsafeMutablePointer<CChar>?
        let rc = idn2_to_ascii_8z(text, &output, Int32(IDN2_NFC_INPUT.rawValue | IDN2_NONTRANSITIONAL.rawValue))
        defer { idn2_free(output) }
        guard rc == IDN2_OK.rawValue, let output else {
            throw Invalid(
                reason: "the domain \"\(text)\" is not a valid internationalized domain name (\(String(cString: idn2_strerror(rc))))")
        }
        return String(cString: output)
    }

    private static func toUnicode(_ ascii: String) throws(Invalid) -> String {
        var output: UnsafeMutablePointer<CChar>?
        let rc = idn2_to_unicode_8z8z(ascii, &output, 0)
        defer { idn2_free(output) }
        guard rc == IDN2_OK.rawValue, let output else { throw Invalid(reason: "cannot decode \(ascii)") }
        return String(cString: output)
    }

    /// RFC 1035 / 5321 host name rules on the ASCII form.
    private static func hostnameProblem(_ domain: String) -> String? {
        guard domain.utf8.count <= 253 else { return "the domain is longer than 253 octets" }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return "the domain \"\(domain)\" has no dot (mail needs a fully qualified domain)" }
        for label in labels {
            if label.isEmpty { return "empty label in the domain \"\(domain)\"" }
            if label.utf8.count > 63 { return "the domain label \"\(label)\" is longer than 63 octets" }
            if label.hasPrefix("-") || label.hasSuffix("-") { return "the domain label \"\(label)\" starts or ends with a hyphen" }
            if let bad = label.unicodeScalars.first(where: {
                !($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-"))
            }) {
                return "\"\(bad.escaped(asASCII: false))\" is not allowed in a domain"
            }
        }
        if labels.last!.allSatisfy(\.isNumber) { return "the top-level domain cannot be numeric" }
        return nil
    }
}
