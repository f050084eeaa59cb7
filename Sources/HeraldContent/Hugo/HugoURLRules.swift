import Foundation
import HeraldBase

/// Hugo's string-to-URL rules (helpers/path.go and helpers/url.go of Debian's hugo 0.111),
/// byte for byte: which characters a path keeps, how it is lower-cased, how it is escaped.
/// Herald's permalinks must be the site's, so these are copied, not approximated.
public struct HugoURLRules: Sendable, Equatable {
    /// `disablePathToLower`: keep the case of paths.
    public var keepCase = false
    /// `removePathAccents`: `é` → `e` before anything else.
    public var removeAccents = false

    public init(keepCase: Bool = false, removeAccents: Bool = false) {
        self.keepCase = keepCase
        self.removeAccents = removeAccents
    }

    /// `urlize`: `Vim (text editor)` → `vim-text-editor`; `社区周报，第 1 期！` → `社区周报第-1-期`, escaped.
    public func urlize(_ s: String) -> String {
        guard let bytes = sanitizedBytes(s, lowercase: !keepCase) else { return Self.escape(s) }
        return Self.escape(bytes: bytes)
    }

    /// A taxonomy term's key, the path of its page below the taxonomy's (getTaxonomyKey):
    /// `Service mesh` and `service-mesh` are one term, `service-mesh`; `开源 之夏` is `开源-之夏`.
    package func termKey(_ term: String) -> String { sanitize(term, lowercase: !keepCase) }

    /// MakePathSanitized: `sanitize`, then lower-cased unless the site keeps case.
    func sanitizedPath(_ s: String) -> String { sanitize(s, lowercase: !keepCase) }

    /// UnicodeSanitize: letters, digits and marks stay, and `. / \ _ # + ~ - @`, and `%`
    /// before two hex digits; a run of white space becomes one hyphen (none at the start,
    /// none next to a hyphen); everything else (punctuation, full-width included) goes.
    /// `lowercase` also does Go's strings.ToLower in the same pass: every permalink of a
    /// scan comes through here, some twice, so it works on bytes.
    func sanitize(_ input: String, lowercase: Bool = false) -> String {
        guard let bytes = sanitizedBytes(input, lowercase: lowercase) else {
            return removeAccents ? Self.withoutAccents(input) : input
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `sanitize` as UTF-8 bytes; nil when `input` comes out as it is.
    func sanitizedBytes(_ input: String, lowercase: Bool) -> [UInt8]? {
        let s = removeAccents ? Self.withoutAccents(input) : input
        // Plain lower-case ASCII words and hyphens (most file names) come out unchanged.
        if s.utf8.allSatisfy({ b in
            (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
                || b == UInt8(ascii: "-") || b == UInt8(ascii: "/") || b == UInt8(ascii: "_") || b == UInt8(ascii: ".")
        }) {
            return removeAccents ? Array(s.utf8) : nil
        }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        var prependHyphen = false
        var wasHyphen = false
        let scalars = s.unicodeScalars
        var i = scalars.startIndex
        while i != scalars.endIndex {
            var r = scalars[i]
            let next = scalars.index(after: i)
            var allowed: Bool
            if r.isASCII {
                allowed = Self.allowedASCII[Int(r.value)]
                if !allowed, r == "%", next != scalars.endIndex, scalars[next].properties.isASCIIHexDigit {
                    let after = scalars.index(after: next)
                    allowed = after != scalars.endIndex && scalars[after].properties.isASCIIHexDigit
                }
            } else {
                allowed = Self.isLetterDigitOrMark(r)
            }
            if allowed {
                wasHyphen = r == "-"
                if prependHyphen {
                    if !wasHyphen { out.append(UInt8(ascii: "-")) }
                    prependHyphen = false
                }
                if lowercase { r = Self.lowercased(r) }
                if r.isASCII { out.append(UInt8(r.value)) } else { UTF8.encode(r) { out.append($0) } }
            } else if !out.isEmpty, !wasHyphen, Self.isGoSpace(r) {
                prependHyphen = true
            }
            i = next
        }
        return out
    }

    /// ASCII kept by UnicodeSanitize (`%` is decided by what follows it).
    private static let allowedASCII: [Bool] = (0..<128).map { v in
        let r = Unicode.Scalar(UInt8(v))
        return ("a"..."z").contains(r) || ("A"..."Z").contains(r) || ("0"..."9").contains(r) || "./\\_#+~-@".unicodeScalars.contains(r)
    }

    /// One scalar as Go's unicode.ToLower maps it (no context, unlike Swift's lowercased()).
    static func lowercased(_ r: Unicode.Scalar) -> Unicode.Scalar {
        if r.isASCII { return r.value >= 0x41 && r.value <= 0x5A ? Unicode.Scalar(UInt8(r.value + 32)) : r }
        if isCaselessLetter(r) { return r }
        guard r.properties.changesWhenLowercased, let first = r.properties.lowercaseMapping.unicodeScalars.first else { return r }
        return first
    }

    /// Go's unicode.IsLetter, IsDigit (Nd) and IsMark.
    static func isLetterDigitOrMark(_ r: Unicode.Scalar) -> Bool {
        // Han, kana and Hangul syllables (most of a Chinese title) are letters: no table lookup.
        if isCaselessLetter(r) { return true }
        if r.isASCII {
            let v = r.value
            return (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39)
        }
        switch r.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .decimalNumber, .nonspacingMark, .spacingMark, .enclosingMark:
            return true
        default: return false
        }
    }

    /// CJK ideographs, hiragana, katakana and Hangul syllables: letters without case.
    private static func isCaselessLetter(_ r: Unicode.Scalar) -> Bool {
        switch r.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0xAC00...0xD7A3, 0x3041...0x3096, 0x30A1...0x30FA: true
        default: false
        }
    }

    /// Go's unicode.IsSpace.
    static func isGoSpace(_ r: Unicode.Scalar) -> Bool {
        switch r.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0: return true
        case 0..<0x100: return false
        default: return r.properties.isWhitespace
        }
    }

    /// text.RemoveAccentsString: decompose, drop nonspacing marks, compose.
    static func withoutAccents(_ s: String) -> String {
        var kept = String.UnicodeScalarView()
        for r in s.decomposedStringWithCanonicalMapping.unicodeScalars where r.properties.generalCategory != .nonspacingMark {
            kept.append(r)
        }
        return String(kept).precomposedStringWithCanonicalMapping
    }

    // MARK: Go's net/url, as Hugo's URLEscape uses it (url.Parse, then String)

    /// A path with an optional `#fragment`, escaped the way Go prints a parsed URL:
    /// already well-escaped text stays as written, anything else is decoded and re-escaped.
    static func escape(_ s: String) -> String {
        if s.utf8.allSatisfy({ keptAsWritten($0, fragment: false) }) { return s }
        return escape(bytes: Array(s.utf8))
    }

    static func escape(bytes: [UInt8]) -> String {
        let hash = bytes.firstIndex(of: UInt8(ascii: "#")) ?? bytes.count
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 3)
        escapePart(bytes[..<hash], fragment: false, into: &out)
        if hash < bytes.count {
            out.append(UInt8(ascii: "#"))
            escapePart(bytes[(hash + 1)...], fragment: true, into: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A byte Go leaves as written in an already well-escaped part.
    private static func keptAsWritten(_ b: UInt8, fragment: Bool) -> Bool {
        b == UInt8(ascii: "%") || !shouldEscape(b, fragment: fragment) || "!$&'()*+,;=:@[]".utf8.contains(b)
    }

    private static func escapePart(_ part: ArraySlice<UInt8>, fragment: Bool, into out: inout [UInt8]) {
        if part.allSatisfy({ keptAsWritten($0, fragment: fragment) }) {
            out += part
            return
        }
        let decoded = percentDecoded(Array(part), plusIsSpace: false) ?? Array(part)
        for b in decoded {
            if shouldEscape(b, fragment: fragment) {
                out.append(UInt8(ascii: "%"))
                Hex.appendUppercase(b, to: &out)
            } else {
                out.append(b)
            }
        }
    }

    /// net/url's shouldEscape for encodePath and encodeFragment.
    private static func shouldEscape(_ b: UInt8, fragment: Bool) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            return false
        case UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: "/"),
            UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: "@"):
            return false
        case UInt8(ascii: "?"):
            return !fragment
        case UInt8(ascii: "!"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"):
            return !fragment
        default:
            return true
        }
    }

    /// `%XX` decoded (and `+` as a space for url.QueryUnescape); nil for a bad escape.
    static func percentDecoded(_ bytes: [UInt8], plusIsSpace: Bool) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "%") {
                guard i + 2 < bytes.count, let h = HexDigit.value(bytes[i + 1]), let l = HexDigit.value(bytes[i + 2]) else { return nil }
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(plusIsSpace && b == UInt8(ascii: "+") ? UInt8(ascii: " ") : b)
                i += 1
            }
        }
        return out
    }

    /// url.QueryUnescape, which Hugo runs over an expanded `[permalinks]` pattern.
    static func queryUnescape(_ s: String) -> String? {
        guard s.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else { return s }
        return percentDecoded(Array(s.utf8), plusIsSpace: true).map { String(decoding: $0, as: UTF8.self) }
    }
}
