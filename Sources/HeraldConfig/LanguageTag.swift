import Foundation

/// A BCP 47 language tag (RFC 5646), checked for well-formedness: `zh-CN`, `en`,
/// `zh-Hant-TW`, `de-CH-1996`. Feeds put it in `xml:lang` and `<language>`, mail in
/// `Content-Language`, so `zh_CN` or `chinese` must stop at `herald check`. No library in
/// the toolchain checks the grammar (Foundation's Locale accepts any string), so the
/// few rules are here.
public enum LanguageTag {
    /// Nil when well-formed, else what is wrong.
    public static func problem(_ tag: String) -> String? {
        if tag.contains("_") {
            return
                "\(tag.debugDescription) is not a BCP 47 language tag: use \"-\", as in \(tag.replacingOccurrences(of: "_", with: "-").debugDescription)"
        }
        let subtags = tag.split(separator: "-", omittingEmptySubsequences: false).map { $0.lowercased() }
        guard subtags.allSatisfy({ !$0.isEmpty && $0.count <= 8 && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }),
            isWellFormed(subtags)
        else {
            return "\(tag.debugDescription) is not a BCP 47 language tag such as zh-CN, en or zh-Hant-TW"
        }
        return nil
    }

    private static func isWellFormed(_ subtags: [String]) -> Bool {
        var rest = subtags[...]
        func alpha(_ s: String, _ counts: ClosedRange<Int>) -> Bool { counts.contains(s.count) && s.allSatisfy(\.isLetter) }
        func digits(_ s: String, _ count: Int) -> Bool { s.count == count && s.allSatisfy(\.isNumber) }
        if rest.first == "x" { return privateUse(rest.dropFirst()) }
        guard let language = rest.popFirst(), alpha(language, 2...8) else { return false }
        if language.count <= 3 {
            var extlangs = 0
            while let next = rest.first, alpha(next, 3...3), extlangs < 3 {
                rest.removeFirst()
                extlangs += 1
            }
        }
        if let next = rest.first, alpha(next, 4...4) { rest.removeFirst() } // script
        if let next = rest.first, alpha(next, 2...2) || digits(next, 3) { rest.removeFirst() } // region
        while let next = rest.first, // variants
            (5...8).contains(next.count) || (next.count == 4 && next.first!.isNumber)
        { rest.removeFirst() }
        while let singleton = rest.first, singleton.count == 1, singleton != "x" { // extensions
            rest.removeFirst()
            var parts = 0
            while let next = rest.first, (2...8).contains(next.count) {
                rest.removeFirst()
                parts += 1
            }
            if parts == 0 { return false }
        }
        if rest.first == "x" { return privateUse(rest.dropFirst()) }
        return rest.isEmpty
    }

    private static func privateUse(_ rest: ArraySlice<String>) -> Bool { !rest.isEmpty }
}
