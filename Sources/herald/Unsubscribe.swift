import ArgumentParser
import HeraldConfig
import HeraldUseCases

extension Herald {
    struct Unsubscribe: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "unsubscribe",
            abstract: "Apply an unsubscribe token from a digest's unsubscribe link.")
        @Argument(help: "The publication folder.") var publication: String
        @Argument(help: "The token, or the whole link holding token=….") var token: String
        @OptionGroup var state: StateLocation

        func run() throws {
            let pub = try Publication.load(from: publication)
            print("unsubscribed " + (try UnsubscribeTokens(state.of(pub)).unsubscribe(token)))
        }
    }
}
