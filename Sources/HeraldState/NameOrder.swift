/// How a given name and a family name make one name, decided by their script: Chinese,
/// Japanese and Korean names put the family name first with no space (`张` + `伟` is
/// `张伟`); every other script puts the given name first with a space (`Ana` + `Lima`).
/// A name whose letters mix CJK with other scripts keeps the given-family order.
enum NameOrder {
    static func joined(given: String?, family: String?) -> String {
        guard let given, !given.isEmpty else { return family ?? "" }
        guard let family, !family.isEmpty else { return given }
        if isCJK(given), isCJK(family) { return family + given }
        return given + " " + family
    }

    /// Every letter is Han, Hangul or Kana (spaces and marks such as `・` do not count).
    private static func isCJK(_ text: String) -> Bool {
        var letters = 0
        for scalar in text.unicodeScalars where scalar.properties.isAlphabetic {
            guard isHanHangulOrKana(scalar.value) else { return false }
            letters += 1
        }
        return letters > 0
    }

    private static func isHanHangulOrKana(_ v: UInt32) -> Bool {
        switch v {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3FFFF, 0x3005, 0x3007: true // Han
        case 0x1100...0x11FF, 0x3130...0x318F, 0xA960...0xA97F, 0xAC00...0xD7AF, 0xD7B0...0xD7FF: true // Hangul
        case 0x3040...0x309F, 0x30A0...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F: true // Kana
        default: false
        }
    }
}
