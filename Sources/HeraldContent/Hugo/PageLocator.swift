import HeraldConfig

/// Finds each post file's `HugoPage`: its path below the content folder, and which
/// folders of the section are sections themselves (they hold an `_index` file).
/// A plain posts folder is read as the one section of a content folder.
struct PageLocator: Sendable {
    let section: String
    let languages: Set<String>
    /// Below the posts folder, `""` for the folder itself.
    let branches: Set<String>
    /// The posts folder's path and a slash.
    let postsPrefix: String

    init(publication: Publication, branches: [String]) {
        section = publication.hugo?.section ?? publication.postsDirectory.lastPathComponent
        languages = publication.hugo?.languages ?? []
        self.branches = Set(branches)
        let posts = publication.postsDirectory.path
        postsPrefix = posts.hasSuffix("/") ? posts : posts + "/"
    }

    /// `path`: absolute (`absolute`), or relative to the posts folder.
    func page(_ path: String, absolute: Bool) -> HugoPage {
        let below = absolute && path.utf8.starts(with: postsPrefix.utf8) ? String(path.utf8.dropFirst(postsPrefix.utf8.count))! : path
        return HugoPage.locate(section + "/" + below, languages: languages) { dir in
            if dir == section { return branches.contains("") }
            return dir.utf8.count > section.utf8.count + 1 && branches.contains(String(dir.utf8.dropFirst(section.utf8.count + 1))!)
        }
    }
}
