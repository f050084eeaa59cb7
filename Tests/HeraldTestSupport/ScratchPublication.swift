import Foundation
import HeraldBase
import HeraldConfig

import HeraldContent

/// A publication in a scratch folder; posts go under `posts/`, and problems name them
/// relative to the folder (`posts/a.md`), as `herald check` run from there would.
public struct ScratchPublication {
    public let dir: TempDir
    public let publication: Publication
    public var loader: PostLoader { PostLoader(publication: publication, workingDirectory: dir.path) }

    public init(permalink: String = "/blog/:slug/", timezone: String = "Asia/Shanghai") throws {
        dir = try TempDir()
        try dir.write(
            "herald.yml",
            """
            title: 测试周报
            base_url: https://weekly.example.org/
            timezone: \(timezone)
            permalink: \(permalink)
            author:
              name: 编辑组
              uri: https://weekly.example.org/about/
            """)
        try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("posts"), withIntermediateDirectories: true)
        publication = try Publication.load(from: dir.path)
    }

    /// Writes `posts/NAME` with front matter lines and a body.
    @discardableResult
    public func post(_ name: String, _ frontMatter: String, body: String = "正文。\n") throws -> URL {
        try dir.write("posts/" + name, "---\n" + frontMatter + "\n---\n" + body)
    }

    public func bytes(_ name: String, _ data: [UInt8]) throws {
        try Data(data).write(to: dir.url.appendingPathComponent("posts/" + name))
    }

    public func scan() -> PostScan { loader.scan() }

    /// The one post in the folder, rendered; records an issue when scanning finds problems.
    public func only() throws -> Post {
        let scan = loader.scan()
        guard scan.problems.isEmpty, scan.metas.count == 1 else {
            throw SourceProblems(
                scan.problems.isEmpty ? [SourceProblem(path: "?", message: "\(scan.metas.count) posts")] : scan.problems,
                exitStatus: .dataError)
        }
        let rendered = loader.render(scan.metas)
        guard let post = rendered.posts.first else { throw SourceProblems(rendered.problems, exitStatus: .dataError) }
        return post
    }
}

/// Seconds since 1970 of a UTC wall-clock time, worked out independently of PostDate.
public func utc(_ y: Int, _ mo: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0, _ s: Int = 0) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    return calendar.date(from: DateComponents(year: y, month: mo, day: d, hour: h, minute: mi, second: s))!
}
