import Foundation

/// A post's short name when front matter gives no slug (permalinks are `HugoPermalink`'s).
enum Slug {
    /// `2024-05-03-weekly.md` → `weekly`: Hugo-style files carry the date in the name,
    /// which the permalink already has (or does not want).
    static func fromFileName(_ name: String) -> String {
        // Bytes throughout: String's hasSuffix and prefix compare characters, which
        // normalizes, and this runs for every post a scan reads.
        var utf8 = Substring(name).utf8
        if utf8.count >= 3, utf8.suffix(3).elementsEqual(".md".utf8) { utf8 = utf8.dropLast(3) }
        if utf8.count > datePrefix.count,
            zip(utf8, datePrefix).allSatisfy({ b, p in
                p == UInt8(ascii: "0") ? (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) : b == p
            })
        {
            utf8 = utf8.dropFirst(datePrefix.count)
        }
        return String(Substring(utf8))
    }

    /// `YYYY-MM-DD-`, a 0 standing for any digit.
    private static let datePrefix = Array("0000-00-00-".utf8)
}
