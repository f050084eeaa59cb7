import Foundation

/// `.herald-build.json` in the output folder: what the last complete build wrote and
/// from which inputs. Written last, so its presence means the listed feeds are complete.
struct BuildRecord: Codable, Sendable, Equatable {
    static let fileName = ".herald-build.json"

    var fingerprint: String
    /// Feed files relative to the output folder, sorted. Only these are ever removed.
    var files: [String]
    var postsLoaded: Int
    var postsPublished: Int
    /// Problems reported (with --skip-invalid); a build with problems is never skipped,
    /// so the report is printed again.
    var problems: Int
    /// The earliest date of a scheduled (future, not draft) post, in seconds since 1970:
    /// from then on the feeds change although no file did.
    var rebuildAfter: Double?

    func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data()
    }
}
