import ArgumentParser
import Foundation
import HeraldBase
import HeraldState

extension Herald {
    /// `herald subscribers feeds/NAME ACTION …`: the publication comes first, as in every
    /// other command, so the action is an argument rather than an ArgumentParser subcommand.
    struct Subscribers: ParsableCommand {
        static let configuration = CommandConfiguration(
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
        @Argument(help: "The address (add, remove), or the file to import: a CSV (Herald's, Mailchimp's, listmonk's) or one mailbox a line; - for standard input.") var value: String?
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
            switch action {
            case .add: try add(parseAddress(value!))
            case .remove: try remove(parseAddress(value!))
            case .list: try list()
            case .import: try importList(value!)
            case .export:
                let (_, db) = try state.open(publication)
                FileHandle.standardOutput.write(Data(try SubscriberStore(database: db).exportCSV().utf8))
            }
        }

        private func add(_ address: EmailAddress) throws {
            let (_, db) = try state.open(publication)
            switch try SubscriberStore(database: db).add(address, name: name) {
            case .added: print("added \(address)")
            case .alreadyActive: print("\(address) is already subscribed")
            case .resubscribed: print("re-subscribed \(address)")
            }
        }

        /// Kept as unsubscribed, so a later import does not re-add the address. Like `add` of
        /// an address already there, removing one that is not is no error: the list is as asked.
        private func remove(_ address: EmailAddress) throws {
            let (_, db) = try state.open(publication)
            guard try SubscriberStore(database: db).setStatus(address, .unsubscribed) else {
                print("\(address) is not a subscriber: nothing to remove")
                return
            }
            print("removed \(address)")
        }

        private func list() throws {
            let (_, db) = try state.open(publication)
            let entries = try SubscriberStore(database: db).list(includeInactive: all)
            if json {
                struct Item: Encodable {
                    let address: String, name: String?, status: String, created_at: Date
                    enum CodingKeys: CodingKey { case address, name, status, created_at }
                    // `"name": null` rather than a missing key, so every item has the same shape.
                    func encode(to encoder: any Encoder) throws {
                        var c = encoder.container(keyedBy: CodingKeys.self)
                        try c.encode(address, forKey: .address)
                        try c.encode(name, forKey: .name)
                        try c.encode(status, forKey: .status)
                        try c.encode(created_at, forKey: .created_at)
                    }
                }
                let encoder = JSONEncoder()
                encoder.dateEncodingStrategy = .iso8601
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                let items = entries.map { Item(address: $0.subscriber.address.description, name: $0.subscriber.name,
                                               status: $0.subscriber.status.rawValue, created_at: $0.createdAt) }
                print(String(decoding: try encoder.encode(items), as: UTF8.self))
                return
            }
            for e in entries {
                let s = e.subscriber
                // Names are stored as given; what reaches a terminal or a TSV has its controls escaped.
                print([s.address.description, s.name.map(ControlEscaping.escaped) ?? "", all ? s.status.rawValue : nil]
                    .compactMap { $0 }.joined(separator: "\t"))
            }
        }

        /// Bad rows are reported as file:line and skipped; the rest are imported. Exit 0 when
        /// everything readable was imported, 65 only when nothing in the file was.
        private func importList(_ file: String) throws {
            let data: Data?
            if file == "-" { data = FileHandle.standardInput.readDataToEndOfFile() } else { data = FileManager.default.contents(atPath: file) }
            guard let data, let text = String(data: data, encoding: .utf8) else {
                throw CommandFailure(.dataError, "\(file): cannot read it as UTF-8 text")
            }
            let (_, db) = try state.open(publication)
            let report = try SubscriberStore(database: db).importList(text, path: file == "-" ? "stdin" : file, dryRun: dryRun)
            for problem in report.problems { printError(problem.description) }
            let verb = dryRun ? "would import" : "imported"
            print("\(verb) \(report.added), already present \(report.alreadyPresent), bad rows \(report.problems.count)")
            if report.nothingImportable { throw ReportedFailure(exitStatus: .dataError) }
        }
    }
}

/// An address given on the command line; a bad one is a usage error.
private func parseAddress(_ raw: String) throws -> EmailAddress {
    do { return try EmailAddress(raw) } catch { throw ValidationError(error.description) }
}
