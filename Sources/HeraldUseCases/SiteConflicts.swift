import Foundation
import HeraldBase
import HeraldConfig

/// Publications that would write the same file or claim the same feed address, among those
/// named together and the others in their folders (`feeds/*`): two publications of one
/// site are usually set up side by side, and checked one at a time.
public enum SiteConflicts {
    /// `root`: the site's folder given with `--out` (nil: each its own `public/NAME`).
    /// Publications beside them that do not load are left to their own check.
    public static func find(_ publications: [Publication], root: URL?) -> [SiteClaims.Conflict] {
        var all = publications
        var seen = Set(publications.map(\.directory.path))
        for folder in Set(publications.map { $0.directory.deletingLastPathComponent() }) {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for name in names.sorted() where !name.hasPrefix(".") {
                let directory = folder.appendingPathComponent(name).standardizedFileURL
                guard !seen.contains(directory.path),
                    FileManager.default.fileExists(atPath: directory.appendingPathComponent("herald.yml").path),
                    let other = try? Publication.load(from: directory.path)
                else { continue }
                seen.insert(directory.path)
                all.append(other)
            }
        }
        let claims = all.map { SiteClaims(publication: $0, layout: SiteLayout(publication: $0, root: root)) }
        // Only what concerns a named publication: two others that collide have their own check.
        let names = Set(publications.map(\.name))
        return SiteClaims.conflicts(claims).filter { names.contains($0.first) || names.contains($0.second) }
    }

    /// `find`, as a configuration failure (exit 78).
    public static func require(apart publications: [Publication], root: URL?) throws(Failure) {
        let lines = find(publications, root: root)
        guard lines.isEmpty else { throw Failure(.config, lines.map(\.description).joined(separator: "\n")) }
    }
}
