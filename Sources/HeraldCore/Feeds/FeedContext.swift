import Foundation

/// What every feed of one publication shares: names, URLs and the tag slugs, so an
/// entry's `category` can point at the tag's own feed folder.
struct FeedContext: Sendable {
    let publication: Publication
    let tagSlugs: [String: String]
    let categorySlugs: [String: String]

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
    /// Titles and names on one line: CR, LF and tabs (which a reader would show as
    /// nothing or as a break) become single spaces.
    var singleLine: String {
        guard contains(where: { $0.isNewline || $0 == "\t" }) else { return self }
        return split(whereSeparator: { $0.isNewline || $0 == "\t" || $0 == " " })
            .joined(separator: " ")
    }
}
