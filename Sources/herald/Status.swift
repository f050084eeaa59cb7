import ArgumentParser
import Foundation
import HeraldConfig
import HeraldUseCases

/// `--state-dir`, shared by the commands that read or write a publication's state.
struct StateLocation: ParsableArguments {
    @Option(
        help:
            "Folder of the publication's state database (default: state: in herald.yml, else $STATE_DIRECTORY/NAME under systemd, else $XDG_STATE_HOME/herald/NAME)."
    )
    var stateDir: String?
    @Flag(name: .shortAndLong, help: "Say where the state is (to stderr).")
    var verbose = false

    func of(_ publication: Publication) -> PublicationState {
        let state = PublicationState(publication, override: stateDir)
        if verbose { printError("state: \(state.directory.path)") }
        return state
    }

    func directory(for publication: Publication) -> URL { of(publication).directory }
}

extension Herald {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show the last digests, their deliveries by status, pending retries and uncertain deliveries.")

        @Argument(help: "The publication folder, e.g. feeds/example.")
        var publication: String
        @OptionGroup var state: StateLocation
        @Flag(help: "Print JSON instead of text.")
        var json = false
        @Option(help: "How many recent digests to show.")
        var digests = 5

        func run() throws {
            let pub = try Publication.load(from: publication)
            print(try ShowStatus(state.of(pub)).run(lastDigests: digests, json: json))
        }
    }
}
