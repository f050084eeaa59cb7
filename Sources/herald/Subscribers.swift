import ArgumentParser
import Foundation
import HeraldBase
import HeraldConfig
import HeraldUseCases

extension Herald {
    /// `herald subscribers feeds/NAME ACTION …`: the publication comes first, as in every
    /// other command, so the action is an argument rather than an ArgumentParser subcommand.
    struct Subscribers: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "subscribers",
            abstract: "Manage a publication's subscribers.",
            usage: """
                herald subscribers <publication> add <address> [--name <name>]
                herald subscribers <publication> remove <address>
                herald subscribers <publication> list [--json] [--all]
                herald subscribers <publication> import <file.csv | file.txt | -> [--dry-run]
                herald subscribers <publication> export
                """)

        enum Action: String, ExpressibleByArgument, CaseIterable { case add, remove, list, `import`, export }

        @Argument(help: "The publication folder, e.g. feeds/example.") var publication: String
        @Argument(help: "What to do.") var action: Action
        @Argument(
            help:
                "The address (add, remove), or the file to import: a CSV (Herald's, Mailchimp's, listmonk's) or one mailbox a line; - for standard input."
        ) var value: String?
        @Option(help: "Display name (add).") var name: String?
        @Flag(help: "Print JSON (list).") var json = false
        @Flag(help: "Include unsubscribed and bounced addresses (list).") var all = false
        @Flag(help: "Show what an import would change, changing nothing (import).") var dryRun = false
        @OptionGroup var state: StateLocation

        func validate() throws {
            switch action {
            case .add, .remove: if value == nil { throw ValidationError("\(action.rawValue) needs an address") }
            case .import: if value == nil { throw ValidationError("import needs a file (or - for standard input)") }
            case .list, .export: if value != nil { throw ValidationError("\(action.rawValue) takes no argument") }
            }
        }

        func run() throws {
            let pub = try Publication.load(from: publication)
            let subscribers = ManageSubscribers(state.of(pub))
            switch action {
            case .add: print(try subscribers.add(parseAddress(value!), name: name))
            case .remove: print(try subscribers.remove(parseAddress(value!)))
            case .list:
                let listing = try subscribers.list(all: all, json: json)
                if !listing.isEmpty { print(listing) }
            case .export: FileHandle.standardOutput.write(Data(try subscribers.export().utf8))
            case .import:
                // Bad rows are reported as file:line and skipped; exit 65 only when nothing was importable.
                let outcome = try subscribers.importFile(value!, dryRun: dryRun)
                outcome.problems.forEach(printError)
                print(outcome.summary)
                if outcome.nothingImported { throw Failure(exitStatus: .dataError) }
            }
        }
    }
}

/// An address given on the command line; a bad one is a usage error.
private func parseAddress(_ raw: String) throws -> EmailAddress {
    do { return try EmailAddress(raw) } catch { throw ValidationError(error.description) }
}
