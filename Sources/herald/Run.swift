import ArgumentParser
import Foundation
import HeraldBase
import HeraldConfig
import HeraldUseCases
import Logging

#if canImport(Glibc)
#endif
extension Herald {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Build the feeds, then send the next digest if one is due (what the systemd timer runs).",
            discussion: """
                Resumes an unfinished send first. Safe to run late, twice or after a crash: a second run \
                in the same schedule period sends nothing and rewrites nothing. Exit status (sysexits): \
                0 ok, 65 bad content, 69 SMTP unavailable, 75 temporary failure or locked, 78 SMTP settings.
                """)

        @Argument(help: "The publication folder, e.g. feeds/example.")
        var publication: String
        @Option(help: "The site's folder: the feeds go to the publication's path in it. Default: public/NAME.")
        var out: String?
        @OptionGroup var state: StateLocation
        @Flag(help: "Publish the valid posts even when others are invalid (no digest is sent then).")
        var skipInvalid = false
        @Flag(help: "Publish even when the posts folder is gone or more than half of the feeds' entries would go.")
        var allowShrink = false

        func run() throws {
            let pub = try Publication.load(from: publication)
            let logger = bootstrapLogging(label: "herald.run.\(pub.name)")
            let summary = PublishRun(
                publication: pub, output: out.map { URL(fileURLWithPath: $0) },
                stateDirectory: state.directory(for: pub), skipInvalid: skipInvalid,
                allowShrink: allowShrink
            )
            .run(logger: logger, progress: terminalProgress)
            summary.problems.forEach(printError)
            summary.notes.forEach { print($0) }
            if summary.status != .ok { throw Failure(exitStatus: summary.status) }
        }
    }
}
