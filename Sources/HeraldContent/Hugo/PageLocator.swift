import Foundation
import HeraldConfig

/// Finds each post file's `HugoPage`: its path below the content folder, and which
/// folders of the section are sections themselves (they hold an `_index` file).
/// A plain posts folder is read as the one section of a content folder.
struct PageLocator: Sendable {
    let section: String
    let languages: Set<String>
    /// Below the posts folder, `""` for the folder itself; nil: look on disk.
    let branches: Set<String>?
    /// The posts folder's path and a slash.
    let postsPrefix: String
    /// The section's folders in other languages' content folders, each with a slash: a
    /// `post.LANG.md` there is a page of this section too.
    let otherPrefixes: [String]
    /// What every file directly in the posts folder shares (most posts of a flat folder).
    private let sectionFolder: String
    private let topSections: [String]

    init(publication: Publication, branches: [String]?) {
        section = publication.hugo?.section ?? publication.postsDirectory.lastPathComponent
        languages = publication.hugo?.languages ?? []
        self.branches = branches.map(Set.init)
        let posts = publication.postsDirectory.path
        postsPrefix = posts.hasSuffix("/") ? posts : posts + "/"
        otherPrefixes = (publication.hugo?.otherSectionDirectories ?? []).map { $0.directory.path + "/" }
        sectionFolder = section + "/"
        let topIsBranch =
            branches.map { $0.contains("") }
            ?? FileManager.default.fileExists(atPath: posts + "/_index.md")
        topSections = HugoPage.locate(section + "/x.md", languages: [], isBranch: { _ in topIsBranch }).sections
    }

    /// `path`: absolute (`absolute`), or relative to the posts folder.
    func page(_ path: String, absolute: Bool) -> HugoPage {
        var below = absolute && path.utf8.starts(with: postsPrefix.utf8) ? String(path.utf8.dropFirst(postsPrefix.utf8.count))! : path
        if absolute, below == path, let other = otherPrefixes.first(where: { path.utf8.starts(with: $0.utf8) }) {
            below = String(path.utf8.dropFirst(other.utf8.count))!
        }
        // A plain file right in the folder: no folders to walk, no bundle, no language.
        if languages.isEmpty, !below.utf8.contains(UInt8(ascii: "/")), below.utf8.count > 3, below.hasSuffix(".md"),
            below != "index.md"
        {
            return HugoPage(
                directory: sectionFolder, baseName: String(below.utf8.dropLast(3))!, section: section,
                sections: topSections)
        }
        return HugoPage.locate(section + "/" + below, languages: languages) { dir in
            let inside = dir == section ? "" : String(dir.utf8.dropFirst(section.utf8.count + 1)) ?? ""
            guard let branches else {
                let folder = postsPrefix + inside
                return (["_index.md"] + languages.map { "_index.\($0).md" }).contains {
                    FileManager.default.fileExists(atPath: folder + "/" + $0)
                }
            }
            return branches.contains(inside)
        }
    }
}
