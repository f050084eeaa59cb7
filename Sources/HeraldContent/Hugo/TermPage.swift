import Foundation
import HeraldBase
import HeraldConfig

#if canImport(Glibc)
    import Glibc
#endif

/// A Hugo site's own page for a taxonomy term (`content/tags/go/_index.md`): its title is
/// the term's title on the site, where Hugo otherwise takes the name as a page wrote it.
package enum TermPage {
    /// The title of the term page at `folder` (Hugo's key) below `taxonomy`, nil when the
    /// site has no such page, or it sets no title or cannot be read.
    package static func title(taxonomy: String, folder: String, of hugo: HugoSource) -> String? {
        let dir = hugo.contentDirectory.appendingPathComponent(taxonomy).appendingPathComponent(folder).path
        for name in ["_index.\(hugo.language).md", "_index.md"] {
            let path = dir + "/" + name
            guard access(path, R_OK) == 0, let text = try? SourceText.read(path, shownAs: path),
                let frontMatter = try? FrontMatter.split(text, path: path),
                var values = try? frontMatter.values(path: path)
            else { continue }
            let title = values.text("title").map { Whitespace.collapsed($0.value) } ?? ""
            return title.isEmpty ? nil : title
        }
        return nil
    }
}
