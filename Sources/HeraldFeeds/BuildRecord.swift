import Foundation
import HeraldConfig
import HeraldContent

/// `feeds-build.json` in the publication's state folder: what the last complete build
/// wrote, where, and from which inputs. Written last, so its presence means the listed
/// feeds are complete. State, not content: it is never published with the feeds.
struct BuildRecord: Codable, Sendable, Equatable {
    static let fileName = "feeds-build.json"
    /// Where earlier versions kept it: in the output folder, published with the feeds.
    /// Read once when there is no record in the state folder, then removed.
    static let legacyFileName = ".herald-build.json"

    /// The site's folder (absolute) the files are relative to; nil in a legacy record,
    /// which lived in that folder.
    var output: String?
    var fingerprint: String
    /// Feed files relative to the site's folder, sorted. Only these are ever removed.
    var files: [String]
    var postsLoaded: Int
    var postsPublished: Int
    /// Problems reported (with --skip-invalid); a build with problems is never skipped,
    /// so the report is printed again.
    var problems: Int
    /// The earliest date of a scheduled (future, not draft) post, in seconds since 1970:
    /// from then on the feeds change although no file did.
    var rebuildAfter: Double?
    /// Size and modification time of each file another program also writes (Hugo's
    /// `index.xml`), as this build left them: a site rebuilt by Hugo afterwards has its own
    /// there, and Herald's build must not be skipped then.
    var shared: [String: String]?

    /// A file's stamp for `shared`.
    static func stamp(_ path: String) -> String {
        let stamp = FileStamp.of(path)
        return "\(stamp.size) \(stamp.seconds).\(stamp.nanoseconds)"
    }

    /// Whether a file is one another program also writes.
    static func isShared(_ relative: String) -> Bool {
        relative.split(separator: "/").last.map { $0 == SiteLayout.Name.hugoRSS } ?? false
    }
    /// By the path of its Atom file, what each feed was built from (`FeedMemo`); a feed
    /// without one is always built again.
    var feeds: [String: FeedMemo]? = nil

    /// The feed files among `files`: the summary counts feeds, and the stylesheet they
    /// share is not one, whether this build wrote it or found it current.
    var feedCount: Int { files.filter(Self.isFeed).count }

    static func isStylesheet(_ relative: String) -> Bool {
        relative.split(separator: "/").last.map { $0 == SiteLayout.Name.stylesheet } ?? false
    }

    /// A feed, not the stylesheet or a feed's page.
    static func isFeed(_ relative: String) -> Bool {
        !isStylesheet(relative) && !SiteLayout.Name.isFeedPage(String(relative.split(separator: "/").last ?? ""))
    }

    func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data()
    }
}
