import Foundation

/// The URL name of a post, and the permalink built from it.
enum Slug {
    /// `2024-05-03-weekly.md` → `weekly`: Hugo-style files carry the date in the name,
    /// which the permalink already has (or does not want).
    static func fromFileName(_ name: String) -> String {
        // Bytes throughout: String's hasSuffix and prefix compare characters, which
        // normalizes, and this runs for every post a scan reads.
        var utf8 = Substring(name).utf8
        if utf8.count >= 3, utf8.suffix(3).elementsEqual(".md".utf8) { utf8 = utf8.dropLast(3) }
        if utf8.count > datePrefix.count, zip(utf8, datePrefix).allSatisfy({ b, p in
            p == UInt8(ascii: "0") ? (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) : b == p
        }) {
            utf8 = utf8.dropFirst(datePrefix.count)
        }
        return String(Substring(utf8))
    }

    /// `YYYY-MM-DD-`, a 0 standing for any digit.
    private static let datePrefix = Array("0000-00-00-".utf8)

    /// Only unreserved characters stay as they are; everything else (Chinese included)
    /// is percent-encoded as UTF-8, so the permalink is a valid URI in every feed reader.
    private static let unreserved = CharacterSet(charactersIn:
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func percentEncoded(_ slug: String) -> String {
        // Most slugs are ASCII words already: skip Foundation's encoder for them.
        let plain = slug.utf8.allSatisfy { b in
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"): true
            default: false
            }
        }
        return plain ? slug : slug.addingPercentEncoding(withAllowedCharacters: unreserved) ?? slug
    }

    /// `base_url` + the pattern with `:slug`, `:year`, `:month`, `:day` filled in, the date
    /// parts as the author wrote them (in the post's own offset, not UTC).
    static func permalink(base: URL, pattern: String, slug: String, date: Date, utcOffset: Int) -> URL? {
        let day = PostDate.civil(date, utcOffset: utcOffset)
        // ASCII patterns (all real ones) are filled in as bytes; the Character-based loop
        // below stays for the rest, so a combining mark after `:slug` means what it did.
        if pattern.utf8.allSatisfy({ $0 < 0x80 }) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(64 + pattern.utf8.count + slug.utf8.count * 3)
            bytes += base.absoluteString.utf8
            let p = Array(pattern.utf8)
            var i = 0
            while i < p.count, p[i] == UInt8(ascii: "/") { i += 1 }
            func at(_ name: StaticString) -> Bool {
                let n = name.utf8CodeUnitCount
                guard p.count - i >= n else { return false }
                let start = name.utf8Start
                for k in 0..<n where p[i + k] != start[k] { return false }
                return true
            }
            func pad(_ n: Int, _ width: Int) {
                let digits = String(n).utf8
                for _ in 0..<max(0, width - digits.count) { bytes.append(UInt8(ascii: "0")) }
                bytes += digits
            }
            while i < p.count {
                if at(":slug") { bytes += percentEncoded(slug).utf8; i += 5 }
                else if at(":year") { pad(day.year, 4); i += 5 }
                else if at(":month") { pad(day.month, 2); i += 6 }
                else if at(":day") { pad(day.day, 2); i += 4 }
                else { bytes.append(p[i]); i += 1 }
            }
            return URL(string: String(decoding: bytes, as: UTF8.self))
        }
        return characterPermalink(base: base, pattern: pattern, slug: slug, day: day)
    }

    /// The pattern filled in character by character: for non-ASCII patterns, and the
    /// reference the tests hold the byte path to.
    static func characterPermalink(base: URL, pattern: String, slug: String,
                                   day: (year: Int, month: Int, day: Int)) -> URL? {
        let fields: [(String, String)] = [
            (":slug", percentEncoded(slug)),
            (":year", padded(day.year, 4)),
            (":month", padded(day.month, 2)),
            (":day", padded(day.day, 2)),
        ]
        var path = ""
        var rest = Substring(pattern.drop(while: { $0 == "/" }))
        outer: while !rest.isEmpty {
            for (name, value) in fields where rest.hasPrefix(name) {
                path += value
                rest = rest.dropFirst(name.count)
                continue outer
            }
            path.append(rest.removeFirst())
        }
        return URL(string: base.absoluteString + path)
    }

    private static func padded(_ n: Int, _ width: Int) -> String {
        let digits = String(n)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
