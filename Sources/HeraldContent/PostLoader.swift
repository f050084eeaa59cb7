import Foundation
import HeraldBase
import HeraldConfig

#if canImport(Glibc)
    import Glibc
#endif

/// Reads a publication's posts folder: `scan()` for every post's front matter (cheap, all
/// posts), `render(_:)` for the Markdown of the few posts a feed or digest needs.
public struct PostLoader: Sendable {
    public let publication: Publication
    /// Paths in `PostMeta.source` and in problems are relative to this folder when they
    /// are inside it, as a user expects from a command run there.
    let workingDirectory: String
    /// The publication's Markdown: Hugo's for a section of a Hugo site.
    let dialect: MarkdownDialect
    /// Where the scan keeps what it parsed (`ScanCache`), so the next scan reads only the
    /// files that changed; nil reads every file every time.
    let cacheFolder: URL?
    /// How new a file's stamp may be and still prove its bytes (`ScanCache.racyMargin`);
    /// tests set 0 to exercise the stamps where the margin would have them check digests.
    package var cacheRacyMargin = ScanCache.racyMargin
    /// Whether the scan cache is written on a thread of its own, for the caller to wait on
    /// (`PostScan.cacheWrite`) before it exits; else `scan` returns once it is written.
    package var writesCacheInBackground = false

    /// `cacheFolder`: the publication's state folder, for a build.
    public init(publication: Publication, cacheFolder: URL? = nil) {
        self.init(publication: publication, workingDirectory: FileManager.default.currentDirectoryPath, cacheFolder: cacheFolder)
    }

    package init(publication: Publication, workingDirectory: String, cacheFolder: URL? = nil) {
        self.publication = publication
        self.workingDirectory = workingDirectory.hasSuffix("/") ? workingDirectory : workingDirectory + "/"
        dialect = MarkdownDialect(publication)
        self.cacheFolder = cacheFolder
    }

    /// Front matter of every `*.md` under the posts folder (recursively), parsed in parallel;
    /// no Markdown is rendered and no body is kept. Bad posts become problems, good ones metas.
    public func scan() -> PostScan { scan(listed: nil) }

    /// `scan()` of the files a build's fingerprint check has just listed and stamped (in
    /// `PostFiles` order), so the folder is not walked twice: the scan cache compares those stamps.
    package func scan(listing: PostFiles.Listing, stamps: [FileStamp]) -> PostScan {
        scan(listed: stamps.count == listing.files.count ? (listing, stamps) : nil)
    }

    private func scan(listed: (listing: PostFiles.Listing, stamps: [FileStamp])?) -> PostScan {
        let listing: PostFiles.Listing
        let permalinks: HugoPermalink
        do {
            listing = try postFiles(listed: listed?.listing)
            permalinks = try HugoPermalink(publication: publication)
        } catch {
            return PostScan(
                metas: [], problems: [error], missingFolder: !FileManager.default.fileExists(atPath: publication.postsDirectory.path))
        }
        let files = listing.files
        let pages = PageLocator(publication: publication, branches: listing.branches)
        // Each file is opened relative to the posts folder's descriptor (see SourceText.read).
        let rootPath = publication.postsDirectory.path
        let prefix = Array((rootPath.hasSuffix("/") ? String(rootPath.dropLast()) : rootPath).utf8) + [UInt8(ascii: "/")]
        let rootFD = open(rootPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { if rootFD >= 0 { close(rootFD) } }
        let cache = cacheFolder.map {
            ScanCache.load(
                folder: $0, key: ScanCache.key(publication: publication, workingDirectory: workingDirectory, branches: listing.branches),
                racyMargin: cacheRacyMargin)
        }
        let scanned = parallelMap(Array(files.indices)) { index in
            let file = files[index]
            let inRoot = rootFD >= 0 && file.utf8.count > prefix.count && file.hasBytePrefix(prefix)
            // Made only when the file is read: an entry proven by its stamp needs no name.
            let opened = { inRoot ? String(file.utf8.dropFirst(prefix.count))! : file }
            let directory = inRoot ? rootFD : AT_FDCWD
            if let entry = cache?.entry(for: opened(), in: directory, stampedAs: file, stamp: listed?.stamps[index]) {
                return Scanned(cached: entry)
            }
            return scanFile(file, opened: opened(), in: directory, pages: pages, permalinks: permalinks, cache: cache)
        }
        var cacheWrite: Background<Void>?
        if let cache {
            let entries = scanned.compactMap(\.entry)
            // Not fatal: the next scan reads every file again, which is what it did before caches.
            if writesCacheInBackground {
                cacheWrite = Background { try? cache.save(entries) }
            } else {
                try? cache.save(entries)
            }
        }
        let stamps = scanned.map(\.stamp)
        var problems = scanned.flatMap(\.problems)
        let notes =
            scanned.flatMap(\.notes)
            + listing.badPatterns.map {
                SourceProblem(
                    path: publication.hugo?.configFiles.first ?? publication.configPath,
                    message: "warning: ignoreFiles pattern \"\($0)\" is not a regular expression; Herald skips it, as Hugo does")
            }
        let posts = scanned.compactMap(\.post)
        // Two posts with one permalink would overwrite each other on the site and share
        // an id in the feed: both are refused, and each names the other. Clashes are rare,
        // so only the first owner of each permalink is remembered (this part is serial).
        var owner: [String: Int] = [:]
        owner.reserveCapacity(posts.count)
        var clashes: [String: [Int]] = [:]
        for (index, post) in posts.enumerated() {
            let key = post.permalink
            if let first = owner.updateValue(index, forKey: key) {
                owner[key] = first
                clashes[key, default: [first]].append(index)
            }
        }
        var refused = Set<Int>()
        for group in clashes.values {
            refused.formUnion(group)
            for index in group {
                let post = posts[index]
                let others = group.filter { $0 != index }.map { posts[$0].meta.source }.joined(separator: ", ")
                problems.append(
                    SourceProblem(
                        path: post.meta.source, line: post.slugLine,
                        message:
                            "slug \"\(post.meta.slug)\" is also used by \(others): give one of them another slug"))
            }
        }
        let metas = refused.isEmpty ? posts.map(\.meta) : posts.indices.filter { !refused.contains($0) }.map { posts[$0].meta }
        var result = PostScan(metas: metas, problems: problems, notes: notes, stamps: stamps, sections: listing.branches)
        result.cacheWrite = cacheWrite
        return result
    }

    /// What `render` produces besides the HTML and summary.
    public enum Parts: Sendable {
        /// Everything, the plain text for email included.
        case all
        /// No plain text (`Post.text` is empty): feeds never show it, and laying it out
        /// is costly (BENCHMARKS.md, "Where the speed tricks came from").
        case web
    }

    /// Markdown → `Post` for `metas`, in parallel and in their order. Each file is read
    /// again, so memory follows the posts asked for, not the size of the folder.
    public func render(_ metas: [PostMeta], parts: Parts = .all) -> (posts: [Post], problems: [SourceProblem]) {
        let results = parallelMap(metas) { meta -> Result<Post, SourceProblem> in
            Result { () throws(SourceProblem) in try renderPost(meta, parts: parts) }
        }
        var posts: [Post] = []
        var problems: [SourceProblem] = []
        for result in results {
            switch result {
            case .success(let post): posts.append(post)
            case .failure(let problem): problems.append(problem)
            }
        }
        return (posts, problems)
    }

    // MARK: Per file

    /// A class, not a struct: the scan's results pass through `parallelMap` (generic, from
    /// another module) and several maps, and a struct this size was copied field by field
    /// through its value witnesses at each step.
    private final class Scanned: Sendable {
        struct Good: Sendable {
            let meta: PostMeta
            /// Where to point at when the slug clashes: the `slug:` line, else the opening `---`.
            let slugLine: Int
            /// `meta.permalink` as a string, made here on all cores: the clash check is serial.
            let permalink: String
        }
        let stamp: FileStamp
        let post: Good?
        let problems: [SourceProblem]
        let notes: [SourceProblem]
        /// What the scan cache keeps of the file: set for a file read whole without problems.
        let entry: ScanCache.Entry?

        init(
            stamp: FileStamp, post: Good? = nil, problems: [SourceProblem] = [], notes: [SourceProblem] = [],
            entry: ScanCache.Entry? = nil
        ) {
            self.stamp = stamp
            self.post = post
            self.problems = problems
            self.notes = notes
            self.entry = entry
        }

        init(cached entry: ScanCache.Entry) {
            stamp = entry.stamp
            post = entry.meta.map { Good(meta: $0, slugLine: entry.slugLine, permalink: $0.permalinkText) }
            problems = []
            notes = []
            self.entry = entry
        }
    }

    /// `opened`: `file`, or its path relative to `directory`.
    private func scanFile(
        _ file: String, opened: String, in directory: Int32, pages: PageLocator,
        permalinks: HugoPermalink, cache: ScanCache? = nil
    ) -> Scanned {
        let path = shownPath(file)
        do {
            let (text, stamp, digest) = try SourceText.readHead(
                opened, in: directory, shownAs: path, stampedAs: file, digestIf: { cache?.needsDigest($0) ?? false })
            var reader = PostMetaReader(publication: publication, path: path, permalinks: permalinks)
            reader.modified = stamp.modified
            do {
                let frontMatter = try FrontMatter.split(text, path: path)
                let meta = reader.read(frontMatter, page: pages.page(opened == file ? file : opened, absolute: opened == file))
                let slugLine = reader.slugLine ?? frontMatter.openingLine
                let good = meta.map { Scanned.Good(meta: $0, slugLine: slugLine, permalink: $0.permalinkText) }
                // A page left out with a warning is read again each time, so its warning is said each time.
                let entry =
                    cache != nil && reader.problems.isEmpty && reader.notes.isEmpty
                    ? ScanCache.Entry(stamp: stamp, digest: digest, meta: meta, slugLine: slugLine) : nil
                return Scanned(stamp: stamp, post: good, problems: reader.problems, notes: reader.notes, entry: entry)
            } catch {
                // Hugo lists a page without front matter (empty, too): untitled, at year 1.
                if publication.hugo != nil, FrontMatter.isAbsent(text) {
                    return Scanned(
                        stamp: stamp, notes: [reader.leftOut(error.line ?? 1, untitled: true, undated: true, noFrontMatter: true)])
                }
                return Scanned(stamp: stamp, problems: [error])
            }
        } catch {
            return Scanned(stamp: FileStamp.of(file), problems: [error])
        }
    }

    func renderPost(_ meta: PostMeta, parts: Parts = .all) throws(SourceProblem) -> Post {
        let text = try SourceText.read(filePath(meta.source), shownAs: meta.source)
        let frontMatter = try FrontMatter.split(text, path: meta.source)
        var body = Substring(XMLSafeText.clean(String(frontMatter.body)))
        var notes: [SourceProblem] = []
        var shortcodeTags: Set<String> = []
        var readsOtherFiles = false
        let firstLine = text[..<frontMatter.body.startIndex].utf8.count { $0 == 0x0A } + 1
        if Shortcodes.mayContain(body) {
            let expanded = Shortcodes { resolveReference($0, from: meta) }.expand(body, firstLine: firstLine)
            body = Substring(expanded.markdown)
            shortcodeTags = expanded.tags
            readsOtherFiles = expanded.readsOtherFiles
            notes = expanded.notes.map { SourceProblem(path: meta.source, line: $0.line, message: $0.message) }
        }
        let rendered = Markdown.render(
            body, rewriter: URLRewriter(base: meta.permalink), dialect: dialect,
            checkLinks: parts == .all, shortcodeTags: shortcodeTags)
        notes += LinkTypos.notes(rendered.linkTypos, body: body, firstLine: firstLine, path: meta.source)
        var plain = PlainTextRenderer()
        let plainText = parts == .all ? plain.render(rendered.document) : ""
        let summary = Summary.make(meta: meta, body: body, rendered: rendered, dialect: dialect, text: parts == .all)
        return Post(
            meta: meta, html: rendered.html, text: plainText, summary: summary.plain, manualSummary: summary.manual,
            notes: notes, inertHTML: rendered.inertHTML, readsOtherFiles: readsOtherFiles)
    }

    /// A `ref`/`relref` target as Hugo finds it: a path from the content folder (`/blog/x.md`)
    /// or from the page's folder, with or without `.md`, or a bundle's folder; its permalink.
    func resolveReference(_ target: String, from meta: PostMeta) -> String? {
        let (path, anchor) = target.firstIndex(of: "#").map { (String(target[..<$0]), String(target[$0...])) } ?? (target, "")
        guard !path.isEmpty else { return meta.permalinkText + anchor }
        let page = URL(fileURLWithPath: filePath(meta.source))
        let content = publication.hugo?.contentDirectory ?? publication.postsDirectory.deletingLastPathComponent()
        let bases = path.hasPrefix("/") ? [content] : [page.deletingLastPathComponent(), content, publication.postsDirectory]
        let fm = FileManager.default
        for base in bases {
            let candidate = URL(fileURLWithPath: path.hasPrefix("/") ? String(path.dropFirst()) : path, relativeTo: base)
                .standardizedFileURL
            var isDir: ObjCBool = false
            let names = [candidate.path, candidate.path + ".md", candidate.appendingPathComponent("index.md").path]
            guard let file = names.first(where: { fm.fileExists(atPath: $0, isDirectory: &isDir) && !isDir.boolValue }) else { continue }
            let scanned = scanFile(
                file, opened: file, in: AT_FDCWD, pages: PageLocator(publication: publication, branches: nil),
                permalinks: (try? HugoPermalink(publication: publication))
                    ?? HugoPermalink(
                        base: publication.baseURL.absoluteString, languagePrefix: "", pattern: nil, rules: HugoURLRules()))
            return scanned.post.map { $0.permalink + anchor }
        }
        return nil
    }

    // MARK: Files

    /// The page files below the posts folder, sorted so problems come out in a stable order.
    /// `listed`: the listing a caller already made, used once the folder is known to be there.
    func postFiles(listed: PostFiles.Listing? = nil) throws(SourceProblem) -> PostFiles.Listing {
        let root = publication.postsDirectory
        func isFolder(_ url: URL) -> Bool {
            var isDir: ObjCBool = false
            return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) && isDir.boolValue
        }
        // A language's section may hold only pages named for it in another language's folder.
        guard isFolder(root) || (publication.hugo?.otherSectionDirectories ?? []).contains(where: { isFolder($0.directory) })
        else {
            throw SourceProblem(
                path: shownPath(root.path),
                message: publication.hugo.map {
                    "section folder does not exist: \"\($0.section)\" is not a section of the site's content: set section: in \(publication.configPath)"
                } ?? "posts folder does not exist: create it or set posts: in \(publication.configPath)")
        }
        return listed ?? PostFiles.listing(for: publication)
    }

    /// `path` is absolute and standardized (it comes from `postsDirectory`).
    package func shownPath(_ path: String) -> String {
        // Compared as bytes: String.hasPrefix normalizes, which costs on Chinese file names.
        path.utf8.starts(with: workingDirectory.utf8) ? String(path.utf8.dropFirst(workingDirectory.utf8.count))! : path
    }

    /// The file a post's `source` names: `shownPath` undone.
    package func filePath(_ shown: String) -> String {
        shown.hasPrefix("/") ? shown : workingDirectory + shown
    }
}
