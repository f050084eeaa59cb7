import ArgumentParser
import Foundation
import HeraldCore

extension Herald {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load every post and report every problem as path:line: message.")

        @Argument(help: "The publication folder, e.g. feeds/example.")
        var publication: String

        @Flag(help: "Print how long scanning and rendering took (to stderr).")
        var timing = false

        func run() throws {
            let pub: Publication
            do {
                pub = try Publication.load(from: publication)
            } catch {
                printError(error.description)
                throw ExitCode(ExitStatus.dataError.rawValue)
            }
            let loader = PostLoader(publication: pub)
            var stopwatch = Stopwatch()
            let scan = loader.scan()
            let scanTime = stopwatch.lap()
            // Render every post too: check is the one place where all of them are read in full.
            let rendered = loader.render(scan.metas)
            let renderTime = stopwatch.lap()
            if timing {
                printError("scan: \(scanTime) for \(scan.metas.count + scan.problems.count) files")
                printError("render: \(renderTime) for \(scan.metas.count) posts")
            }
            let problems = PostScan(metas: [], problems: scan.problems + rendered.problems).problems
            guard problems.isEmpty else {
                for problem in problems { printError(problem.description) }
                printError("\(problems.count) problem\(problems.count == 1 ? "" : "s") in \(pub.name)")
                throw ExitCode(ExitStatus.dataError.rawValue)
            }
            let now = Date()
            let published = scan.metas.filter { $0.isPublished(at: now) }.count
            print("\(pub.name): \(scan.metas.count) posts, \(published) published, \(scan.metas.count - published) drafts/future")
        }
    }
}
