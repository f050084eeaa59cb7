import ArgumentParser
import Foundation
import HeraldBase
import HeraldConfig
import HeraldUseCases

extension Herald {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report every problem of a publication as path:line: message.",
            discussion: """
                Reads herald.yml (exit 78 on a bad setting, or a state folder inside the output folder), \
                every post in full (exit 65 on a bad post) and, when smtp.url is set, what sending needs: templates, the unsubscribe secret and \
                the SMTP credentials (exit 78).
                """)

        @Argument(help: "The publication folder, e.g. feeds/example.")
        var publication: String

        @Option(help: "The output folder build writes and serve publishes (default public/NAME), checked against the state folder.")
        var out: String?

        @OptionGroup var state: StateLocation

        @Flag(help: "Print how long scanning and rendering took (to stderr).")
        var timing = false

        func run() throws {
            let pub = try Publication.load(from: publication)
            let report = CheckPublication(
                publication: pub, output: out.map { URL(fileURLWithPath: $0) }, stateDirectory: state.directory(for: pub)
            ).run()
            if timing {
                printError("scan: \(report.scanTime) for \(report.posts) posts and \(report.problems.count) problems")
                printError("render: \(report.renderTime) for \(report.posts) posts")
            }
            report.notes.forEach { printError($0.description) }
            if !report.problems.isEmpty { throw SourceProblems(report.problems, exitStatus: .dataError) }
            if !report.settingProblems.isEmpty {
                throw Failure(.config, report.settingProblems.joined(separator: "\n"))
            }
            print("\(pub.name): \(report.posts) posts, \(report.published) published, \(report.posts - report.published) drafts/future")
        }
    }
}
