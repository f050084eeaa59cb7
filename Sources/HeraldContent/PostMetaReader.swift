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
    /// Line of the `slug:` key, when the front matter sets one.
    private(set) var slugLine: Int?

    init(publication: Publication, path: String) {
        self.publication = publication
        self.path = path
    }

    /// `fastPath: false` parses the front matter with Yams only (for the differential tests).
    mutating func read(_ frontMatter: FrontMatter, fileName: String, fastPath: Bool = true) -> PostMeta? {
        let opening = frontMatter.openingLine
        var fields: FrontMatterValues?
        do { fields = try frontMatter.values(path: path, fastPath: fastPath) } catch {
            problems.append(error)
            return nil
        }

        let title = fields?.text("title").map { Whitespace.collapsed($0.value) } ?? ""
        if title.isEmpty, !(fields?.failed("title") ?? false) {
            problems.append(problem(opening, "missing title: add title: \"…\" to the front matter"))
        }
        var postDate: PostDate?
        if let (raw, line) = fields?.text("date") {
            postDate = date(raw, key: "date", line: line)
        } else if !(fields?.failed("date") ?? false) {
            problems.append(problem(opening, "missing date: add date: 2024-05-03T15:00:00+08:00 to the front matter"))
        }
        var updated = postDate?.date
        for key in ["lastmod", "updated"] {
            if let (raw, line) = fields?.text(key), let parsed = date(raw, key: key, line: line) {
                updated = parsed.date
                break
            }
        }
        let written = fields?.text("slug").map { (value: Whitespace.collapsed($0.value), line: $0.line) }
        slugLine = written?.line
        let slug = written.flatMap { $0.value.isEmpty ? nil : $0.value } ?? Slug.fromFileName(fileName)
        let authorName = fields?.text("author").map { Whitespace.collapsed($0.value) }
        let authorLink = fields?.text("authorlink").map { Whitespace.trimmed($0.value) }
        let description = fields?.text("description").map { Whitespace.collapsed($0.value) }
        let summary = fields?.text("summary").map { Whitespace.collapsed($0.value) }
        let categories = fields?.list("categories") ?? []
        let tags = fields?.list("tags") ?? []
        let draft = fields?.flag("draft") ?? false
        let cover = fields?.text("cover")
        problems += fields?.problems ?? []

        guard problems.isEmpty, let postDate else { return nil }
        guard let permalink = Slug.permalink(base: publication.baseURL, pattern: publication.permalink, slug: slug,
                                             date: postDate.date, utcOffset: postDate.utcOffset) else {
            problems.append(problem(opening, "cannot build a permalink from slug \"\(slug)\""))
            return nil
        }
        let author = authorName.map { Person(name: $0, uri: authorLink) }
            ?? Person(name: publication.author.name, uri: authorLink ?? publication.author.uri,
                      email: authorLink == nil ? publication.author.email : nil)
        let coverURL = cover.flatMap { c in
            URL(string: URLRewriter(base: permalink).absolute(Whitespace.trimmed(c.value)))
        }
        return PostMeta(source: path, title: title, slug: slug, permalink: permalink, date: postDate.date,
                        utcOffset: postDate.utcOffset, updated: updated ?? postDate.date, author: author,
                        description: description.flatMap { $0.isEmpty ? nil : $0 },
                        summaryOverride: summary.flatMap { $0.isEmpty ? nil : $0 },
                        categories: categories, tags: tags, cover: coverURL, draft: draft)
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
            problems.append(problem(line, "\(key) \"\(trimmed)\" is not a date: write 2024-05-03T15:00:00+08:00, 2024-05-03 15:00 or 2024-05-03"))
        }
        return nil
    }

    private func problem(_ line: Int, _ message: String) -> SourceProblem {
        SourceProblem(path: path, line: line, message: message)
    }
}
