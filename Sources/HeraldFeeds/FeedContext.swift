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
