import ArgumentParser
import Foundation
import HeraldBase
import HeraldConfig
import HeraldUseCases

extension Herald {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Report every problem of one or more publications as path:line: message.",
            discussion: """
                Reads herald.yml (exit 78 on a bad setting, a state folder inside the output folder, or two publications \
                named together that would write the same file or claim the same feed address; one beside them in their \
                folder, such as feeds/*, is a warning), \
                every post in full (exit 65 on a bad post) and, when smtp.url is set, what sending needs: templates, the unsubscribe secret and \
                the SMTP credentials (exit 78); it then names each relay of smtp.url and the TLS it gets.
                """)

        @Argument(help: "Publication folders, e.g. feeds/example.")
        var publications: [String]

        @Option(help: "The site's folder build writes and serve publishes (default public/NAME), checked against the state folder.")
        var out: String?

        @OptionGroup var state: StateLocation

        @Flag(help: "Print how long scanning and rendering took (to stderr).")
        var timing = false

        func validate() throws {
            guard !publications.isEmpty else { throw ValidationError("Name a publication folder, e.g. feeds/example.") }
            if state.stateDir != nil, publications.count > 1 {
                throw ValidationError("--state-dir takes one publication; check several without it.")
            }
        }

        func run() throws {
            let loaded = try publications.map { path throws(SourceProblems) in try Publication.load(from: path) }
            let root = out.map { URL(fileURLWithPath: $0) }
            try SiteConflicts.require(apart: loaded, root: root)
            for conflict in SiteConflicts.withNeighbours(of: loaded, root: root) {
                printError("warning: \(conflict.description) (if they are published together)")
            }
            var worst: (any Error)?
            for pub in loaded {
                do { try check(pub) } catch { if worst == nil { worst = error } }
            }
            if let worst { throw worst }
        }

        private func check(_ pub: Publication) throws {
            let report = CheckPublication(
                publication: pub, output: out.map { URL(fileURLWithPath: $0) }, stateDirectory: state.directory(for: pub)
            ).run()
            if timing {
                printError("scan: \(report.scanTime) for \(report.posts) posts and \(report.problems.count) problems")
                printError("render: \(report.renderTime) for \(report.posts) posts")
            }
            report.notes.forEach { printError($0.description) }
            if !report.problems.isEmpty {
                // With several publications, each one's problems are printed as it is checked.
                guard publications.count > 1 else { throw SourceProblems(report.problems, exitStatus: .dataError) }
                printError(SourceProblems(report.problems, exitStatus: .dataError).description)
                throw Failure(exitStatus: .dataError)
            }
            if !report.settingProblems.isEmpty {
                guard publications.count > 1 else { throw Failure(.config, report.settingProblems.joined(separator: "\n")) }
                printError(report.settingProblems.joined(separator: "\n"))
                throw Failure(exitStatus: .config)
            }
            print("\(pub.name): \(report.posts) posts, \(report.published) published, \(report.posts - report.published) drafts/future")
            for (number, relay) in report.relays.enumerated() {
                print(
                    "\(pub.name): sends through \(report.relays.count == 1 ? "" : "relay \(number + 1) of \(report.relays.count), ")\(relay)"
                )
            }
        }
    }
}
