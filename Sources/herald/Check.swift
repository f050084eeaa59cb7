#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import HeraldBase
import HeraldConfig
import HeraldContent
import HeraldFeeds
import HeraldState
import HeraldMail
import HeraldUseCases

extension Herald {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load every post and report every problem as path:line: message.")

        @Argument(help: "The publication folder, e.g. feeds/example.")
        var publication: String

        /// Posts rendered at a time: enough to keep both cores busy.
        static let renderChunk = 256

        @Flag(help: "Print how long scanning and rendering took (to stderr).")
        var timing = false

        func run() throws {
            let pub = try publicationOrExit(publication)
            let loader = PostLoader(publication: pub)
            var stopwatch = Stopwatch()
            let scan = loader.scan()
            let scanTime = stopwatch.lap()
            // Render every post too: check is the one place where all of them are read in
            // full. In chunks, so memory stays that of a chunk of posts, not of the folder.
            var renderProblems: [SourceProblem] = [], notes: [SourceProblem] = []
            for start in stride(from: 0, to: scan.metas.count, by: Self.renderChunk) {
                let chunk = scan.metas[start..<min(start + Self.renderChunk, scan.metas.count)]
                let rendered = loader.render(Array(chunk))
                renderProblems += rendered.problems
                notes += rendered.posts.flatMap(\.notes)
            }
            let renderTime = stopwatch.lap()
            if timing {
                printError("scan: \(scanTime) for \(scan.metas.count) posts and \(scan.problems.count) problems")
                printError("render: \(renderTime) for \(scan.metas.count) posts")
            }
            let problems = (scan.problems + renderProblems).sortedByLocation()
            // What is left out of a post without refusing it (a shortcode Herald cannot
            // render): named like a problem, but the post is still published.
            for note in notes.sortedByLocation() { printError(note.description) }
            guard problems.isEmpty else {
                // Only the problems, one per line, so editors and scripts can jump to each.
                for problem in problems { printError(problem.description) }
                throw ExitCode(ExitStatus.dataError.rawValue)
            }
            let now = Date()
            let published = scan.metas.filter { $0.isPublished(at: now) }.count
            print("\(pub.name): \(scan.metas.count) posts, \(published) published, \(scan.metas.count - published) drafts/future")
        }
    }
}

/// Wall-clock and CPU time between laps, for `--timing`. CPU time is what a stage costs
/// whatever else the machine is doing; wall time is what the user waits.
private struct Stopwatch {
    private var wall = Self.wallNow()
    private var cpu = Self.cpuNow()

    mutating func lap() -> String {
        let (w, c) = (Self.wallNow(), Self.cpuNow())
        defer { (wall, cpu) = (w, c) }
        return String(format: "%.3f s wall, %.3f s CPU", w - wall, c - cpu)
    }

    private static func wallNow() -> Double { clock(CLOCK_MONOTONIC) }
    private static func cpuNow() -> Double { clock(CLOCK_PROCESS_CPUTIME_ID) }

    private static func clock(_ id: clockid_t) -> Double {
        var ts = timespec()
        clock_gettime(id, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
