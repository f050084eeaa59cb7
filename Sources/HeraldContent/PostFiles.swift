import Foundation
import HeraldBase
import HeraldConfig

#if canImport(Glibc)
    import Glibc
#endif

/// Lists the page files below the posts folder with readdir: the file type comes with
/// each entry, where FileManager's enumerator asks for resource values file by file
/// (BENCHMARKS.md, "Where the speed tricks came from"). Hidden names (.git, editor swap files)
/// are skipped; symlinked files are followed, symlinked folders are not (no loops).
///
/// Hugo's content rules decide what is a page: `_index.md` makes its folder a section
/// (a branch bundle: its list page, never a post); a folder holding `index.md` is a leaf
/// bundle, whose page is that file and whose other files, Markdown included, are its
/// resources; `name.LANG.md` belongs to language LANG when the site has it.
package enum PostFiles {
    package struct Listing: Sendable {
        /// Absolute paths, sorted.
        package var files: [String] = []
        /// Folders holding an `_index` file, relative to the listing's root, sorted.
        package var branches: [String] = []
        /// `ignoreFiles` patterns that are no regular expression (Hugo skips them too).
        package var badPatterns: [String] = []
    }

    /// Hugo's `ignoreFiles`, and the names Hugo never reads (`#name`, `name~`).
    package struct Ignore: @unchecked Sendable {
        // NSRegularExpression is immutable once made, and safe to share between threads.
        private let patterns: [NSRegularExpression]
        package let bad: [String]

        package init(_ written: [String]) {
            var patterns: [NSRegularExpression] = []
            var bad: [String] = []
            for pattern in written {
                if let regex = try? NSRegularExpression(pattern: pattern) { patterns.append(regex) } else { bad.append(pattern) }
            }
            self.patterns = patterns
            self.bad = bad
        }

        /// `path`: absolute, as Hugo matches it; `name`: its last part.
        func skips(_ path: String, name: String) -> Bool {
            if name.utf8.first == UInt8(ascii: "#") || name.utf8.last == UInt8(ascii: "~") { return true }
            guard !patterns.isEmpty else { return false }
            let range = NSRange(path.startIndex..<path.endIndex, in: path)
            return patterns.contains { $0.firstMatch(in: path, range: range) != nil }
        }
    }

    /// Which language's files to keep; nil keeps every file (a plain posts folder).
    package struct LanguageFilter: Sendable {
        package let language: String
        package let languages: Set<String>
        /// The language of a file without a `.LANG` suffix.
        package let directoryLanguage: String

        func keeps(_ name: String) -> Bool {
            var base = Substring(name)
            if base.hasSuffix(".md") { base = base.dropLast(3) }
            if let dot = base.lastIndex(of: "."), languages.contains(String(base[base.index(after: dot)...])) {
                return base[base.index(after: dot)...] == language
            }
            return directoryLanguage == language
        }
    }

    package static func list(under root: String) -> [String] { listing(under: root, filter: nil).files }

    /// The posts of `publication`, as the scan and the build fingerprint both see them: for
    /// a Hugo section, its folder in this language's content folder and the pages named
    /// `.LANG.md` for this language in the other languages' folders, less `ignoreFiles`.
    package static func listing(for publication: Publication) -> Listing {
        guard let hugo = publication.hugo else { return listing(under: publication.postsDirectory.path, filter: nil) }
        let ignore = Ignore(hugo.ignoreFiles)
        var result = listing(
            under: publication.postsDirectory.path,
            filter: LanguageFilter(language: hugo.language, languages: hugo.languages, directoryLanguage: hugo.directoryLanguage),
            ignore: ignore)
        let others = hugo.otherSectionDirectories
        for (directory, language) in others {
            let filter = LanguageFilter(language: hugo.language, languages: hugo.languages, directoryLanguage: language)
            result.files += listing(under: directory.path, filter: filter, ignore: ignore).files
        }
        if !others.isEmpty { result.files.sort() }
        result.badPatterns = ignore.bad
        return result
    }

    /// `onEveryCore: false` reads one folder after the other: the plain way, for the tests.
    package static func listing(
        under root: String, filter: LanguageFilter?, ignore: Ignore? = nil, onEveryCore: Bool = true
    ) -> Listing {
        var result = Listing()
        let top = root.hasSuffix("/") ? String(root.dropLast()) : root
        var level = [top]
        if let ignore, ignore.skips(top, name: (top as NSString).lastPathComponent) { level = [] }
        // One level of folders at a time, the folders of a level on every core: a site of
        // page bundles is a folder per post, and reading 10,000 of them one after the other
        // (open, stat, two reads, close each) was a fifth of a build that changed one post.
        // The order folders are read in does not matter: the lists are sorted at the end.
        while !level.isEmpty {
            let read =
                onEveryCore && level.count > 1
                ? parallelMap(level) { readFolder($0, top: top, filter: filter, ignore: ignore) }
                : level.map { readFolder($0, top: top, filter: filter, ignore: ignore) }
            level = []
            for folder in read {
                result.files += folder.files
                if let branch = folder.branch { result.branches.append(branch) }
                level += folder.folders
            }
        }
        // String order is Unicode scalar order, not the locale's: the same on every machine.
        result.files.sort()
        result.branches.sort()
        return result
    }

    /// What one folder holds: its pages, whether it is a section (relative to `top`), and
    /// the folders to read next (none below a leaf bundle).
    private struct Folder: Sendable {
        var files: [String] = []
        var branch: String? = nil
        var folders: [String] = []
    }

    private static func readFolder(_ dir: String, top: String, filter: LanguageFilter?, ignore: Ignore?) -> Folder {
        var result = Folder()
        guard let handle = opendir(dir) else { return result }
        var folders: [String] = []
        var pages: [String] = []
        var leaf = false
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            guard !name.hasPrefix(".") else { continue }
            let path = dir + "/" + name
            // Only folders and pages are matched: a bundle's pictures never are pages.
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_DIR):
                if ignore?.skips(path, name: name) != true { folders.append(path) }
            case Int32(DT_REG):
                if name.hasSuffix(".md"), ignore?.skips(path, name: name) != true { pages.append(name) }
            default:
                // Symlinks and file systems that do not report a type.
                var info = stat()
                guard name.hasSuffix(".md"), stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
                    ignore?.skips(path, name: name) != true
                else { continue }
                pages.append(name)
            }
        }
        closedir(handle)
        if pages.contains(where: isBranchIndex) {
            result.branch = dir == top ? "" : String(dir.dropFirst(top.count + 1))
        }
        for name in pages where isLeafIndex(name) {
            leaf = true
            if filter?.keeps(name) ?? true { result.files.append(dir + "/" + name) }
        }
        // A leaf bundle's other files are its resources, and it has no pages below it.
        guard !leaf else { return result }
        for name in pages where !isBranchIndex(name) && (filter?.keeps(name) ?? true) {
            result.files.append(dir + "/" + name)
        }
        result.folders = folders
        return result
    }

    /// `index.md`, `index.en.md`.
    private static func isLeafIndex(_ name: String) -> Bool {
        // Most names are posts: one byte rules them out.
        guard name.utf8.first == UInt8(ascii: "i") else { return false }
        return name == "index.md"
            || (name.hasPrefix("index.") && name.hasSuffix(".md") && name.utf8.count > 9
                && !name.dropFirst(6).dropLast(3).contains("."))
    }

    /// `_index.md`, `_index.en.md`.
    private static func isBranchIndex(_ name: String) -> Bool {
        guard name.utf8.first == UInt8(ascii: "_") else { return false }
        return name == "_index.md"
            || (name.hasPrefix("_index.") && name.hasSuffix(".md") && name.utf8.count > 10
                && !name.dropFirst(7).dropLast(3).contains("."))
    }
}
