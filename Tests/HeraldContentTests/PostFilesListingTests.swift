import Foundation
import HeraldBase
import HeraldTestSupport
import Testing

@testable import HeraldContent

/// The posts folder is read a level at a time, each level's folders on every core; the listing
/// must be the one reading them one after the other gives, for any tree Hugo could be handed.
@Suite struct PostFilesListingTests {
    /// A random tree: sections, leaf bundles with resources (Markdown among them), pages in
    /// two languages, hidden, backup and `#` names, symlinks to pages and to folders.
    private func tree(in dir: TempDir, random: inout TestRandom) throws {
        let fm = FileManager.default
        var folders = [""]
        for index in 0..<120 {
            // A third at the top, so one leaf bundle near the root does not take most of the tree.
            let parent = Int.random(in: 0..<3, using: &random) == 0 ? "" : folders.randomElement(using: &random)!
            let folder = (parent.isEmpty ? "" : parent + "/") + "f\(index)"
            folders.append(folder)
            try fm.createDirectory(at: dir.url.appendingPathComponent("posts/" + folder), withIntermediateDirectories: true)
            let names = [
                "index.md", "_index.md", "a.md", "b.fr.md", "index.fr.md", "c.MD", ".hidden.md", "#draft.md", "d.md~", "cover.png",
                "e.en.md",
            ]
            // Leaf bundles rarer than pages: everything below one is its resources.
            for name in names where Int.random(in: 0..<(name.hasPrefix("index") ? 12 : 3), using: &random) == 0 {
                try dir.write("posts/\(folder)/\(name)", "---\ntitle: t\n---\n")
            }
            if Int.random(in: 0..<10, using: &random) == 0 {
                try fm.createSymbolicLink(
                    atPath: dir.url.appendingPathComponent("posts/\(folder)/linked.md").path,
                    withDestinationPath: dir.url.appendingPathComponent("outside.md").path)
            }
            if Int.random(in: 0..<15, using: &random) == 0 {
                try fm.createSymbolicLink(
                    atPath: dir.url.appendingPathComponent("posts/\(folder)/loop").path,
                    withDestinationPath: dir.url.appendingPathComponent("posts").path)
            }
        }
        try dir.write("outside.md", "---\ntitle: o\n---\n")
    }

    @Test func everyCoreListsWhatOneFolderAfterAnotherLists() throws {
        var random = TestRandom.seeded("PostFilesListingTests")
        for _ in 0..<4 {
            let dir = try TempDir()
            try tree(in: dir, random: &random)
            let root = dir.url.appendingPathComponent("posts").path
            let filters: [PostFiles.LanguageFilter?] = [
                nil, .init(language: "fr", languages: ["en", "fr"], directoryLanguage: "en"),
            ]
            for filter in filters {
                for ignore in [nil, PostFiles.Ignore(["f1[0-9]/", "\\.fr\\.md$", "(unclosed"])] {
                    let plain = PostFiles.listing(under: root, filter: filter, ignore: ignore, onEveryCore: false)
                    let fast = PostFiles.listing(under: root, filter: filter, ignore: ignore)
                    #expect(filter != nil || ignore != nil || fast.files.count > 10, "the tree has pages to list: \(fast.files.count)")
                    #expect(fast.files == plain.files, "seed \(random.seed)")
                    #expect(fast.branches == plain.branches, "seed \(random.seed)")
                    #expect(fast.files == fast.files.sorted() && Set(fast.files).count == fast.files.count)
                    #expect(!fast.files.contains { $0.contains("/loop/") }, "a symlinked folder is not followed")
                }
            }
        }
    }
}
