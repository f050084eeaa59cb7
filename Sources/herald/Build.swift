import ArgumentParser
import Foundation
import HeraldBase
import HeraldConfig
import HeraldUseCases

extension Herald {
    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "build",
            abstract: "Write the Atom, RSS and JSON feeds of one or more publications.",
            discussion: """
                Writes atom.xml, rss.xml and feed.json (JSON Feed 1.1) for the publication, each tag and each category into \
                its path in the site's folder: --out DIR (the site's root, e.g. Hugo's public/; several publications may share it), \
                else public/NAME. A hugo: publication's path defaults to its section's (blog/, en/blog/), and its RSS is also \
                written where Hugo publishes it (blog/index.xml, tags/NAME/index.xml). Two publications that would write the \
                same file are refused (exit 78). Unchanged feeds are left as they are; when no input changed \
                since the last build (its record is kept in the state folder, not published), nothing is loaded at all. Invalid posts stop the build (exit 65) \
                unless --skip-invalid is given.
                """)

        @Argument(help: "Publication folders, e.g. feeds/example.")
        var publications: [String]

        @Option(help: "The site's folder: each publication is written under its path in it. Default: public/NAME.")
        var out: String?

        @OptionGroup var state: StateLocation

        @Flag(help: "Publish the valid posts even when others are invalid; the problems are still printed.")
        var skipInvalid = false

        @Flag(help: "Publish even when the posts folder is gone or more than half of the feeds' entries would go.")
        var allowShrink = false

        @Flag(help: "Print one JSON report per publication on stdout instead of the summary line.")
        var json = false

        func validate() throws {
            guard !publications.isEmpty else { throw ValidationError("Name a publication folder, e.g. feeds/example.") }
            if state.stateDir != nil, publications.count > 1 {
                throw ValidationError("--state-dir takes one publication; build several without it (each keeps state/NAME).")
            }
        }

        func run() throws {
            var worst = ExitStatus.ok
            var loaded: [Publication] = []
            for path in publications {
                do { loaded.append(try Publication.load(from: path)) } catch {
                    printError(error.description)
                    if worst == .ok { worst = error.exitStatus }
                }
            }
            // Nothing is written when two would write the same file.
            try SiteConflicts.require(apart: loaded, root: out.map { URL(fileURLWithPath: $0) })
            for publication in loaded {
                let status = build(publication)
                if status != .ok, worst == .ok { worst = status }
            }
            if worst != .ok { throw Failure(exitStatus: worst) }
        }

        /// Builds one publication and reports on it; failures are printed, not thrown, so
        /// the other publications are still built.
        private func build(_ publication: Publication) -> ExitStatus {
            let build = BuildFeeds(
                publication: publication, output: out.map { URL(fileURLWithPath: $0) },
                stateDirectory: state.directory(for: publication), skipInvalid: skipInvalid, allowShrink: allowShrink)
            do {
                let outcome = try build.run(json: json)
                outcome.problems.forEach(printError)
                print(outcome.report)
                return .ok
            } catch {
                printError(error.description)
                return error.exitStatus
            }
        }
    }
}
