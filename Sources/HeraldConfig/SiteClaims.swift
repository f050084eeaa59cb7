import Foundation
import HeraldBase

/// What a publication claims on its site: the files it writes and the routes it answers,
/// as paths below the site's root. Two publications of one site (the same address, or the
/// same folder on disk) that claim the same file would overwrite each other's feeds, and
/// two with the same feed address would give readers one feed id for two feeds: both are
/// refused before anything is written or served, naming both.
public struct SiteClaims: Sendable {
    /// One claim: a file (`blog/atom.xml`), or every file below a folder whose name is one
    /// of `names` (all names when nil).
    enum Claim: Sendable, Equatable {
        case file(String)
        case tree(String, names: Set<String>?)

        var shown: String {
            switch self {
            case .file(let path): "/" + path
            case .tree(let folder, let names):
                "/" + folder + (names.map { $0.count == 1 ? "*/" + $0.first! : "*" } ?? "*")
            }
        }

        func overlaps(_ other: Claim) -> Bool {
            switch (self, other) {
            case (.file(let a), .file(let b)): a == b
            case (.file(let f), .tree(let folder, let names)), (.tree(let folder, let names), .file(let f)):
                f.hasPrefix(folder) && (names?.contains(String(f.split(separator: "/").last ?? "")) ?? true)
            case (.tree(let a, let x), .tree(let b, let y)):
                (a.hasPrefix(b) || b.hasPrefix(a)) && (x == nil || y == nil || !x!.isDisjoint(with: y!))
            }
        }
    }

    let name: String
    /// `https://site/` with the base path: publications on one address share the URL space.
    let site: String
    let root: String
    let claims: [Claim]

    public init(publication: Publication, layout: SiteLayout) {
        name = publication.name
        site = publication.baseURL.absoluteString
        root = layout.root.standardizedFileURL.path
        let p = layout.folder
        typealias N = SiteLayout.Name
        var claims: [Claim] = []
        // The feeds, their pages and the stylesheet in the publication's folder.
        for feed in N.feeds { claims += [.file(p + feed), .file(p + N.feedPage(of: feed))] }
        claims.append(.file(p + N.stylesheet))
        // The routes `herald serve` answers there, and the folders it writes into.
        for route in SiteLayout.Route.allCases {
            let path = p + route.rawValue
            claims.append(path.hasSuffix("/") ? .tree(path, names: nil) : .file(path))
        }
        let feedFiles = Set(N.feeds + N.feeds.map(N.feedPage))
        for folder in [N.tags, N.categories] { claims.append(.tree(p + folder + "/", names: feedFiles)) }
        if let hugo = layout.hugoFeeds {
            if hugo.hasSectionFeed { claims.append(.file(hugo.sectionFeed)) }
            claims += hugo.taxonomyRoots.map { .tree($0, names: [N.hugoRSS]) }
        }
        self.claims = claims
    }

    /// Two publications whose claims meet.
    public struct Conflict: Sendable, CustomStringConvertible {
        /// The publications' names.
        public let first: String
        public let second: String
        /// Both named, a file they share, and what to change.
        public let description: String
    }

    /// One per pair of publications whose claims meet; empty when none do.
    public static func conflicts(_ all: [SiteClaims]) -> [Conflict] {
        var lines: [Conflict] = []
        for (i, a) in all.enumerated() {
            for b in all[(i + 1)...] where a.site == b.site || a.root == b.root {
                guard let (x, y) = a.claims.lazy.flatMap({ x in b.claims.lazy.map { (x, $0) } }).first(where: { $0.0.overlaps($0.1) })
                else { continue }
                let place = a.site == b.site ? "on \(a.site)" : "in \(a.root)"
                let shared = x == y ? x.shown : "\(x.shown) and \(y.shown)"
                var line = "\(a.name) and \(b.name) both write \(shared) \(place): "
                if case .tree(_, let names) = x, names == [SiteLayout.Name.hugoRSS] {
                    line += "Hugo's term feeds are one per language; set feeds: hugo_index: false in one of them"
                } else {
                    line += "give each its own path: in herald.yml (such as /blog/ and /en/blog/)"
                }
                lines.append(Conflict(first: a.name, second: b.name, description: line))
            }
        }
        return lines
    }

    /// `conflicts`, as a configuration failure (exit 78).
    public static func require(apart all: [SiteClaims]) throws(Failure) {
        let lines = conflicts(all)
        guard lines.isEmpty else { throw Failure(.config, lines.map(\.description).joined(separator: "\n")) }
    }
}
