import Foundation
import HeraldConfig
import HeraldContent

/// What every feed of one publication shares: its settings, author and category schemes.
struct FeedContext: Sendable {
    let publication: Publication

    var content: FeedSettings.Content { publication.feeds.content }
    var tagScheme: String { publication.baseURL.absoluteString + "tags/" }
    var categoryScheme: String { publication.baseURL.absoluteString + "categories/" }

    /// The author of an entry: the post's own, else the publication's.
    func author(of post: Post) -> Person {
        post.author.name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? publication.author : post.author
    }
}

/// The generator named in every feed; its version is also part of the build fingerprint,
/// so a new Herald rewrites feeds whose format it changed.
public enum HeraldGenerator {
    public static let name = "Herald"
    public static let version = "0.1.0"
}

extension String {
    /// Titles and names on one line: line breaks and tabs (which a reader would show as
    /// nothing or as a break) become single spaces. Other controls are the writer's to drop.
    var singleLine: String {
        guard mayHaveBreak else { return self }
        return split(whereSeparator: { Self.isBreak($0) || $0 == " " }).joined(separator: " ")
    }

    /// A byte scan first: titles are formatted for every entry of every feed, and
    /// almost none has a break.
    private var mayHaveBreak: Bool {
        utf8.contains { $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0xC2 || $0 == 0xE2 }
            && contains(where: Self.isBreak)
    }

    private static func isBreak(_ c: Character) -> Bool {
        switch c {
        case "\n", "\r", "\r\n", "\t", "\u{85}", "\u{2028}", "\u{2029}": true
        default: false
        }
    }
}

extension String {
    /// Plain text as HTML that displays it: `&`, `<`, `>` escaped.
    var htmlEscaped: String {
        guard utf8.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") }) else {
            return self
        }
        var out = ""
        out.reserveCapacity(utf8.count + 16)
        for c in unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
