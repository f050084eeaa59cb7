import Foundation
import HeraldBase
import HeraldConfig

/// Front matter → `PostMeta`, collecting every problem in the file rather than stopping
/// at the first, so one `herald check` run lists all there is to fix.
/// Unknown keys (Hugo's aliases, weight, …) are ignored; known keys with a wrong type are problems.
struct PostMetaReader {
    let publication: Publication
    let path: String
    private(set) var problems: [SourceProblem] = []
    /// Pages left out and why (see `PostScan.notes`).
    private(set) var notes: [SourceProblem] = []
    /// When the file was last changed: the date a note suggests for a page without one.
    var modified: Date?
    /// Line of the `slug:` key, when the front matter sets one.
    private(set) var slugLine: Int?
    /// How permalinks are made; nil makes one from the publication (tests).
    let permalinks: HugoPermalink?

    init(publication: Publication, path: String, permalinks: HugoPermalink? = nil) {
        self.publication = publication
        self.path = path
        self.permalinks = permalinks
    }

    /// A post file of a plain posts folder, named `fileName`: its page is found as Hugo would
    /// if the folder were a section of a content folder.
    mutating func read(_ frontMatter: FrontMatter, fileName: String) -> PostMeta? {
        read(frontMatter, page: page(fileName: fileName))
    }

    /// `read(_:fileName:)` with the front matter parsed by Yams alone
    /// (`FrontMatter.valuesWithYams`), for the differential tests.
    mutating func readWithYams(_ frontMatter: FrontMatter, fileName: String) -> PostMeta? {
        read(frontMatter, page: page(fileName: fileName)) { frontMatter, path throws(SourceProblem) in
            try frontMatter.valuesWithYams(path: path)
        }
    }

    private func page(fileName: String) -> HugoPage {
        let section = publication.postsDirectory.lastPathComponent
        return HugoPage.locate(section + "/" + fileName, languages: [], isBranch: { _ in true })
    }

    /// Nil with no problem: a file Hugo does not publish as a page (headless, never listed).
    mutating func read(_ frontMatter: FrontMatter, page: HugoPage) -> PostMeta? {
        read(frontMatter, page: page) { frontMatter, path throws(SourceProblem) in try frontMatter.values(path: path) }
    }

    /// `values` reads the front matter's keys (`FrontMatter.values`, or its plain way in tests).
    private mutating func read(
        _ frontMatter: FrontMatter, page: HugoPage,
        values: (FrontMatter, String) throws(SourceProblem) -> FrontMatterValues?
    ) -> PostMeta? {
        let opening = frontMatter.openingLine
        var fields: FrontMatterValues?
        do { fields = try values(frontMatter, path) } catch {
            problems.append(error)
            return nil
        }

        // Not a page of any list: a headless bundle, or one whose build options say never.
        if fields?.flag("headless") == true { return nil }
        for key in ["_build", "build"] {
            if let list = fields?.nested(key, "list"), list == "never" || list == "false" { return nil }
        }

        // Hugo lists a page without a title or a date (untitled, at year 1): on a Hugo site
        // such a page is left out of feeds and digests with a note, and blocks nothing.
        let listedByHugo = publication.hugo != nil
        let title = fields?.text("title").map { Whitespace.collapsed($0.value) } ?? ""
        let untitled = title.isEmpty && !(fields?.failed("title") ?? false)
        if untitled, !listedByHugo {
            problems.append(problem(opening, "missing title: add title: \"…\" to the front matter"))
        }
        // Hugo's date fields and their aliases; `date` falls back to the publish date, then lastmod.
        let publish = firstDate(["publishdate", "pubdate", "published"], fields: &fields)
        let lastmod = firstDate(["lastmod", "modified", "updated"], fields: &fields)
        let expiry = firstDate(["expirydate", "unpublishdate"], fields: &fields)
        var postDate: PostDate?
        if let (raw, line) = fields?.text("date") {
            postDate = date(raw, key: "date", line: line)
        } else if let fallback = publish ?? lastmod {
            postDate = fallback
        } else if !(fields?.failed("date") ?? false), !listedByHugo {
            problems.append(problem(opening, "missing date: add date: 2024-05-03T15:00:00+08:00 to the front matter"))
        }
        let undated = postDate == nil && !(fields?.failed("date") ?? false)
        let updated = lastmod?.date ?? postDate?.date
        let written = fields?.text("slug").map { (value: Whitespace.collapsed($0.value), line: $0.line) }
        slugLine = written?.line
        let writtenSlug = written.flatMap { $0.value.isEmpty ? nil : $0.value }
        let url = fields?.text("url").map { Whitespace.trimmed($0.value) }
        let authorName = fields?.text("author").map { Whitespace.collapsed($0.value) }
        let authorLink = fields?.text("authorlink").map { Whitespace.trimmed($0.value) }
        let description = fields?.text("description").map { Whitespace.collapsed($0.value) }
        let summary = fields?.text("summary").map { Whitespace.collapsed($0.value) }
        let categories = fields?.list("categories") ?? []
        let tags = fields?.list("tags") ?? []
        let draft = fields?.flag("draft") ?? false
        let cover = fields?.text("cover")
        problems += fields?.problems ?? []

        guard problems.isEmpty else { return nil }
        if listedByHugo, untitled || postDate == nil {
            // A draft is not published either way: nothing to say until it is finished.
            if !draft { notes.append(leftOut(opening, untitled: untitled, undated: undated)) }
            return nil
        }
        guard let postDate else { return nil }
        let maker: HugoPermalink
        if let permalinks {
            maker = permalinks
        } else {
            do { maker = try HugoPermalink(publication: publication) } catch {
                problems.append(error)
                return nil
            }
        }
        let facts = PermalinkPattern.Facts(
            title: title, slug: writtenSlug, date: postDate.date,
            utcOffset: postDate.utcOffset, page: page)
        let link = maker.permalink(facts, url: url)
        guard let permalink = URL(string: link) else {
            problems.append(problem(written?.line ?? opening, "cannot make a URL of the permalink \"\(link)\""))
            return nil
        }
        // The post's short name in messages and tests: as written, else from the file.
        let slug = writtenSlug ?? Slug.fromFileName(page.baseName)
        let author =
            authorName.map { Person(name: $0, uri: authorLink) }
            ?? Person(
                name: publication.author.name, uri: authorLink ?? publication.author.uri,
                email: authorLink == nil ? publication.author.email : nil)
        let coverURL = cover.flatMap { c in
            URL(string: URLRewriter(base: permalink).absolute(Whitespace.trimmed(c.value)))
        }
        // The URLs are kept as text and parsed again when the post is shown (a few dozen of
        // 10,000): Foundation's parsed URL is half a kilobyte a post, held until the build ends.
        return PostMeta(
            source: path, permalinkText: permalink.absoluteString, date: postDate.date, utcOffset: postDate.utcOffset,
            updated: updated ?? postDate.date, categories: categories, tags: tags, draft: draft,
            publishDate: publish?.date, expiryDate: expiry?.date,
            details: PostMeta.Details(
                title: title, slug: slug, author: author, description: description.flatMap { $0.isEmpty ? nil : $0 },
                summaryOverride: summary.flatMap { $0.isEmpty ? nil : $0 }, coverText: coverURL?.absoluteString),
            loader: nil)
    }

    /// The first of `keys` that is set, parsed (its problem recorded when it is no date).
    private mutating func firstDate(_ keys: [String], fields: inout FrontMatterValues?) -> PostDate? {
        for key in keys {
            if let (raw, line) = fields?.text(key) { return date(raw, key: key, line: line) }
        }
        return nil
    }

    private mutating func date(_ raw: String, key: String, line: Int) -> PostDate? {
        let trimmed = Whitespace.trimmed(raw)
        do {
            return try PostDate.parse(trimmed, timeZone: publication.timeZone)
        } catch .notARealDay {
            problems.append(problem(line, "\(key) \"\(trimmed)\" is not a real day"))
        } catch .notARealTime {
            problems.append(problem(line, "\(key) \"\(trimmed)\" is not a real time of day"))
        } catch {
            problems.append(
                problem(line, "\(key) \"\(trimmed)\" is not a date: write 2024-05-03T15:00:00+08:00, 2024-05-03 15:00 or 2024-05-03"))
        }
        return nil
    }

    /// Why a page Hugo lists is not in the feeds, and the front matter that would put it there.
    func leftOut(_ line: Int, untitled: Bool, undated: Bool, noFrontMatter: Bool = false) -> SourceProblem {
        let date = "date: " + suggestedDate
        let missing: String
        let hugoShows: String
        let add: String
        switch (untitled, undated) {
        case (true, true):
            (missing, hugoShows, add) = ("no title and no date", "untitled with a zero date", "title: \"…\" and \(date)")
        case (false, true): (missing, hugoShows, add) = ("no date", "with a zero date", date)
        default: (missing, hugoShows, add) = ("no title", "untitled", "title: \"…\"")
        }
        let fix = noFrontMatter ? "it starts with front matter (---, \(add), ---)" : "its front matter has \(add)"
        return problem(
            line,
            "warning: \(noFrontMatter ? "no front matter" : missing): Hugo lists this page \(hugoShows); "
                + "Herald leaves it out of feeds and digests until \(fix)")
    }

    /// The file's modification time in the publication's time zone (an example date without it).
    private var suggestedDate: String {
        guard let modified else { return "2024-05-03T15:00:00+08:00" }
        return InternetDates.rfc3339(modified, offset: publication.timeZone.secondsFromGMT(for: modified))
    }

    private func problem(_ line: Int, _ message: String) -> SourceProblem {
        SourceProblem(path: path, line: line, message: message)
    }
}
