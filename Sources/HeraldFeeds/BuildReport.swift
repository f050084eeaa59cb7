import Foundation
import HeraldBase

/// What one `herald build` of a publication did; `--json` prints it as is.
public struct BuildReport: Sendable, Codable, Equatable {
    public var publication: String
    /// The output folder.
    public var output: String
    /// True when the fingerprint matched and nothing was loaded or written.
    public var upToDate: Bool
    public var postsLoaded: Int
    public var postsPublished: Int
    /// Feed files (`atom.xml`, `rss.xml`, `feed.json`, per feed folder) replaced, left as they were, removed.
    public var feedsWritten: Int
    public var feedsUnchanged: Int
    public var feedsRemoved: Int
    /// URLs of the feed files this build replaced, for the WebSub hub to announce.
    public var changedFeeds: [String] = []
    /// Problems skipped with --skip-invalid, as `path:line: message`.
    public var problems: [String]
    /// What went wrong without stopping the build, e.g. the build record that could not be
    /// saved (the feeds are written; the next build cannot be skipped and rebuilds them).
    public var warnings: [String] = []
    public var seconds: Double
    /// Where the time went, so a slow build says which stage to look at.
    public var phases = BuildPhases()

    /// `example: 120 posts (118 published), 30 feeds: 2 written, 28 unchanged, 0 removed in 0.21 s`
    public var summary: String {
        let time = String(format: "%.2f s", seconds)
        if upToDate {
            return "\(publication): up to date, \(postsLoaded) posts (\(postsPublished) published), "
                + "\(feedsUnchanged) feeds unchanged in \(time)"
        }
        let skipped = problems.isEmpty ? "" : ", \(problems.count) invalid skipped"
        return "\(publication): \(postsLoaded) posts (\(postsPublished) published\(skipped)), "
            + "\(feedsWritten + feedsUnchanged) feeds: \(feedsWritten) written, \(feedsUnchanged) unchanged, "
            + "\(feedsRemoved) removed in \(time)"
    }
}

/// Seconds spent in each stage of a full build (all zero when up to date).
public struct BuildPhases: Sendable, Codable, Equatable {
    /// Reading every post's front matter (the loader's `scan`).
    public var scan: Double = 0
    /// Markdown → HTML and escaping for the posts the feeds carry (the loader's `render`):
    /// the time the writers waited for it. Rendering runs alongside writing, one chunk
    /// ahead, so this is only the part writing did not hide.
    public var render: Double = 0
    /// Writing the feeds to temporary files (while the next chunk renders).
    public var write: Double = 0
    /// Comparing, fsyncing and renaming them into place.
    public var commit: Double = 0

    public init() {}
}

/// Why a build published nothing. Earlier output is untouched in every case.
public enum BuildFailure: ExitStatusError, Sendable {
    /// Posts with problems and no --skip-invalid: each problem is `path:line: message`.
    case invalidPosts([SourceProblem])
    /// A feed file could not be written.
    case output(FileError)
    /// The build would publish far fewer posts than the feeds hold now, or none because
    /// the posts folder is gone, and --allow-shrink was not given: the old feeds stay.
    case shrink(String)
    /// The publication's own `templates/feed.xsl` is not a template Mustache can read.
    case stylesheet(SourceProblem)

    public var description: String {
        switch self {
        case .invalidPosts(let problems):
            return problems.map(\.description).joined(separator: "\n")
                + "\n\(problems.count) invalid post(s): fix them, or publish the others with --skip-invalid"
        case .output(let error):
            return error.description
        case .shrink(let what):
            return what + ": the current feeds are kept; if this is meant, build again with --allow-shrink"
        case .stylesheet(let problem):
            return problem.description
        }
    }

    public var exitStatus: ExitStatus {
        switch self {
        case .invalidPosts, .shrink: .dataError
        case .output(let error): error.exitStatus
        case .stylesheet: .config
        }
    }
}
