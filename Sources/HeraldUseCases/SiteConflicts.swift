import Foundation
import HeraldBase
import HeraldConfig

/// Publications that would write the same file or claim the same feed address. Among those
/// named together (`herald check a b`, `herald build a b`) it is an error; with those beside
/// them in their folders (`feeds/*`), which are often copies or staging twins built elsewhere,
/// a warning that `check` prints.
public enum SiteConflicts {
    /// `root`: the site's folder given with `--out` (nil: each its own `public/NAME`).
    public static func among(_ publications: [Publication], root: URL?) -> [SiteClaims.Conflict] {
        SiteClaims.conflicts(publications.map { SiteClaims(publication: $0, layout: SiteLayout(publication: $0, root: root)) })
    }

    /// `among`, as a configuration failure (exit 78).
    public static func require(apart publications: [Publication], root: URL?) throws(Failure) {
        let lines = among(publications, root: root)
        guard lines.isEmpty else { throw Failure(.config, lines.map(\.description).joined(separator: "\n")) }
    }

    /// Conflicts of the named publications with others in their folders that were not named.
    /// Publications there that do not load are left to their own check.
    public static func withNeighbours(of publications: [Publication], root: URL?) -> [SiteClaims.Conflict] {
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
        let named = Set(publications.map(\.name))
        // Pairs of named ones are `among`'s; two neighbours that collide have their own check.
        return among(all, root: root).filter { named.contains($0.first) != named.contains($0.second) }
    }
}
