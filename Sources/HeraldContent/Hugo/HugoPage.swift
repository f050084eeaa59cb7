/// What Hugo's URL rules need to know of one page, apart from its front matter: where its
/// file sits in the content folder and which folders around it are sections.
public struct HugoPage: Sendable, Equatable {
    /// Folder of the page relative to the content folder, `""` or ending in `/`; for a leaf
    /// bundle the folder that holds the bundle (`blog/` for `blog/name/index.md`).
    public let directory: String
    /// The file name without extension and language (`post` for `post.en.md`); for a leaf
    /// bundle, the bundle's folder name.
    public let baseName: String
    /// The top-level section (`blog`), empty for a page at the root.
    public let section: String
    /// The path of the page's nearest section, as Hugo's `:sections` prints it: a folder is
    /// a section when it holds an `_index.md`, and the top level always is. Hugo lists a
    /// top-level section without `_index.md` as `[name, ""]`; kept, since `:sections[last]` shows it.
    public let sections: [String]

    public init(directory: String, baseName: String, section: String, sections: [String]) {
        self.directory = directory
        self.baseName = baseName
        self.section = section
        self.sections = sections
    }

    /// `relative`: the file's path below the content folder (`blog/2023/post.en.md`).
    /// `languages`: the site's language keys; `isBranch(dir)`: whether `dir` (relative, no
    /// trailing slash) holds an `_index` file.
    public static func locate(_ relative: String, languages: Set<String>, isBranch: (String) -> Bool) -> HugoPage {
        var components = relative.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let file = components.removeLast()
        var base = file.hasSuffix(".md") ? String(file.dropLast(3)) : file
        if let dot = base.lastIndex(of: "."), languages.contains(String(base[base.index(after: dot)...])) {
            base = String(base[..<dot])
        }
        if base == "index", !components.isEmpty {
            base = components.removeLast()
        }
        let directory = components.isEmpty ? "" : components.joined(separator: "/") + "/"
        let section = components.first ?? ""
        var sections: [String] = []
        if !components.isEmpty {
            var depth = components.count
            while depth > 1, !isBranch(components[..<depth].joined(separator: "/")) { depth -= 1 }
            sections = Array(components[..<depth])
            if depth == 1, !isBranch(section) { sections.append("") }
        }
        return HugoPage(directory: directory, baseName: base, section: section, sections: sections)
    }
}
