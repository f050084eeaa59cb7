import Foundation
import HeraldBase

/// Makes relative links absolute against a post's permalink. Feed readers and mail
/// clients show a post away from its site, where `images/a.png` or `/about/` lead nowhere.
struct URLRewriter: Sendable {
    let base: URL

    /// `reference` resolved against the permalink; URLs with a scheme (https:, mailto:, data:…)
    /// and anything unparseable come back unchanged.
    func absolute(_ reference: String) -> String {
        let trimmed = Whitespace.trimmed(reference)
        guard !trimmed.isEmpty, !Self.hasScheme(trimmed) else { return reference }
        // Authors write `images/封面 1.png`; URL(string:) wants it encoded first. Most
        // references need nothing encoded, which a byte test tells far faster.
        let encoded =
            trimmed.utf8.allSatisfy(Self.isAllowed)
            ? trimmed
            : trimmed.addingPercentEncoding(withAllowedCharacters: Self.allowed) ?? trimmed
        return URL(string: encoded, relativeTo: base)?.absoluteString ?? reference
    }

    private static let allowed: CharacterSet = {
        var set = CharacterSet(charactersIn: Unicode.Scalar(0x21)...Unicode.Scalar(0x7E))
        set.remove(charactersIn: notAllowed)
        return set
    }()
    private static let notAllowed = "\"<>\\^`{|}"

    /// A byte of a character in `allowed` (which is all ASCII).
    private static func isAllowed(_ byte: UInt8) -> Bool {
        (0x21...0x7E).contains(byte) && !notAllowed.utf8.contains(byte)
    }

    static func hasScheme(_ s: String) -> Bool {
        var sawLetter = false
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): sawLetter = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
                guard sawLetter else { return false }
            case UInt8(ascii: ":"): return sawLetter
            default: return false
            }
        }
        return false
    }

    /// Attributes that hold a URL in the raw HTML authors put in posts.
    private static let urlAttributes: Set<String> = ["href", "src", "poster", "srcset"]

    /// Raw HTML with every `href`/`src`/`poster`/`srcset` value made absolute.
    func rewriteHTML(_ html: String) -> String {
        guard html.contains(ascii: "=") else { return html }
        return HTMLTagScanner.rewrite(html) { attribute in
            guard Self.urlAttributes.contains(attribute.name) else { return nil }
            let raw = HTMLEntities.decoded(attribute.value)
            let rewritten = attribute.name == "srcset" ? absoluteSrcset(raw) : absolute(raw)
            return rewritten == raw ? nil : rewritten
        }
    }

    /// `a.png 1x, b.png 2x`: each candidate's URL, descriptors kept.
    private func absoluteSrcset(_ srcset: String) -> String {
        srcset.split(separator: ",").map { candidate in
            var parts = candidate.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            if !parts.isEmpty { parts[0] = absolute(parts[0]) }
            return parts.joined(separator: " ")
        }.joined(separator: ", ")
    }
}
