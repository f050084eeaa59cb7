import Foundation
import HeraldBase

/// How many pages of a Hugo content folder's top-level sections carry a date, by language:
/// what `herald init --hugo` chooses a section and its publications by. A section of
/// undated pages (projects, docs) makes no feed: every page would be a "missing date".
package struct HugoSectionSurvey: Sendable {
    /// One section in one content folder.
    package struct Count: Sendable, Equatable {
        /// Pages (not `_index` files), and those with a date, by language key.
        package var pages: [String: Int] = [:]
        package var dated: [String: Int] = [:]

        package var totalPages: Int { pages.values.reduce(0, +) }
        package var totalDated: Int { dated.values.reduce(0, +) }
    }

    /// Files larger than this are not read: a page's front matter is at its top, and a
    /// survey must not stall on a stray huge file.
    static let maxBytes = 4 << 20
    /// Hugo's date keys: any one of them dates a page (its `date` falls back to the others).
    static let dateKeys = ["date", "publishdate", "pubdate", "published", "lastmod", "modified", "updated"]

    /// The top-level sections of `content` (folders, not hidden) with their counts.
    /// `languages`: the site's language keys (a `post.en.md` is `en`'s); pages without a
    /// language in their name are `directoryLanguage`'s.
    package static func survey(content: URL, languages: Set<String>, directoryLanguage: String) -> [String: Count] {
        let fm = FileManager.default
        var result: [String: Count] = [:]
        guard let names = try? fm.contentsOfDirectory(atPath: content.path) else { return [:] }
        for name in names.sorted() where !name.hasPrefix(".") {
            let folder = content.appendingPathComponent(name)
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: folder.path, isDirectory: &isDir), isDir.boolValue else { continue }
            var count = Count()
            let files = (fm.enumerator(atPath: folder.path)?.allObjects as? [String] ?? []).sorted()
            for relative in files where relative.hasSuffix(".md") || relative.hasSuffix(".markdown") {
                let file = (relative as NSString).lastPathComponent
                if file.hasPrefix("_index.") || file.hasPrefix(".") { continue }
                let stem = (file as NSString).deletingPathExtension
                let suffix = (stem as NSString).pathExtension
                let language = languages.contains(suffix) ? suffix : directoryLanguage
                count.pages[language, default: 0] += 1
                if isDated(folder.appendingPathComponent(relative).path) { count.dated[language, default: 0] += 1 }
            }
            result[name] = count
        }
        return result
    }

    /// Whether the page's front matter sets one of Hugo's date keys to something.
    static func isDated(_ path: String) -> Bool {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            (attributes[.size] as? Int ?? 0) <= maxBytes,
            let data = FileManager.default.contents(atPath: path)
        else { return false }
        let text = String(decoding: data, as: UTF8.self)
        guard let frontMatter = try? FrontMatter.split(text, path: path),
            var values = try? frontMatter.values(path: path)
        else { return false }
        return dateKeys.contains { values.text($0).map { !Whitespace.trimmed($0.value).isEmpty } ?? false }
    }
}
