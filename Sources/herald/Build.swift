import ArgumentParser
import Foundation
import HeraldBase
import HeraldConfig
import HeraldUseCases

extension Herald {
    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the Atom, RSS and JSON feeds of one or more publications.",
            discussion: """
                Writes atom.xml, rss.xml and feed.json (JSON Feed 1.1) for the publication, each tag and each category into \
                public/NAME/ (or --out). Unchanged feeds are left as they are; when no input changed \
                since the last build (its record is kept in the state folder, not published), nothing is loaded at all. Invalid posts stop the build (exit 65) \
                unless --skip-invalid is given.
                """)

        @Argument(help: "Publication folders, e.g. feeds/example.")
        var publications: [String]

        @Option(help: "Output folder (only with one publication). Default: public/NAME.")
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
            if out != nil, publications.count > 1 {
                throw ValidationError("--out takes one publication; build several without --out (each goes to public/NAME).")
            }
            if state.stateDir != nil, publications.count > 1 {
                throw ValidationError("--state-dir takes one publication; build several without it (each keeps state/NAME).")
            }
        }

        func run() throws {
            var worst = ExitStatus.ok
            for path in publications {
                let status = build(path)
                if status != .ok, worst == .ok { worst = status }
            }
            if worst != .ok { throw Failure(exitStatus: worst) }
        }

        /// Builds one publication and reports on it; failures are printed, not thrown, so
        /// the other publications are still built.
        private func build(_ path: String) -> ExitStatus {
            let publication: Publication
            do { publication = try Publication.load(from: path) } catch {
                printError(error.description)
                return error.exitStatus
            }
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
