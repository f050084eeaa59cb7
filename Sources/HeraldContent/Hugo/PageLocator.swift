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

    init(publication: Publication, branches: [String]?) {
        section = publication.hugo?.section ?? publication.postsDirectory.lastPathComponent
        languages = publication.hugo?.languages ?? []
        self.branches = branches.map(Set.init)
        let posts = publication.postsDirectory.path
        postsPrefix = posts.hasSuffix("/") ? posts : posts + "/"
    }

    /// `path`: absolute (`absolute`), or relative to the posts folder.
    func page(_ path: String, absolute: Bool) -> HugoPage {
        let below = absolute && path.utf8.starts(with: postsPrefix.utf8) ? String(path.utf8.dropFirst(postsPrefix.utf8.count))! : path
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
