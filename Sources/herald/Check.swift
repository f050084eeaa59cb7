import ArgumentParser
import HeraldCore

extension Herald {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load every post and report every problem as path:line: message.")

        @Argument(help: "The publication folder, e.g. feeds/example.")
        var publication: String

        func run() throws {
            do {
                let pub = try Publication.load(from: publication)
                print("\(pub.configPath): ok (\(pub.title))")
            } catch {
                printError(error.description)
                throw ExitCode(ExitStatus.dataError.rawValue)
            }
        }
    }
}
