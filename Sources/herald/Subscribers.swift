import ArgumentParser
import Foundation
import HeraldCore

extension Herald {
    struct Subscribers: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Manage a publication's subscribers.",
            subcommands: [Add.self, Remove.self, List.self, Import.self, Export.self])
    }
}

/// An address given on the command line; a bad one is a usage error.
private func parseAddress(_ raw: String) throws -> EmailAddress {
    do { return try EmailAddress(raw) } catch { throw ValidationError(error.description) }
}

extension Herald.Subscribers {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Subscribe an address (re-subscribes one that left).")
        @Argument(help: "The publication folder.") var publication: String
        @Argument(help: "The email address.") var address: String
        @Option(help: "Display name.") var name: String?
        @OptionGroup var state: StateLocation

        func run() throws {
            let parsed = try parseAddress(address)
            let (_, db) = try state.open(publication)
            switch try SubscriberStore(database: db).add(parsed, name: name) {
            case .added: print("added \(parsed)")
            case .alreadyActive: print("\(parsed) is already subscribed")
            case .resubscribed: print("re-subscribed \(parsed)")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Unsubscribe an address (kept as unsubscribed, so imports do not re-add it).")
        @Argument(help: "The publication folder.") var publication: String
        @Argument(help: "The email address.") var address: String
        @OptionGroup var state: StateLocation

        func run() throws {
            let parsed = try parseAddress(address)
            let (_, db) = try state.open(publication)
            guard try SubscriberStore(database: db).setStatus(parsed, .unsubscribed) else {
                printError("\(parsed) is not a subscriber")
                throw ExitCode(ExitStatus.dataError.rawValue)
            }
            print("removed \(parsed)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List active subscribers.")
        @Argument(help: "The publication folder.") var publication: String
        @Flag(help: "Include unsubscribed and bounced addresses.") var all = false
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var state: StateLocation

        func run() throws {
            let (_, db) = try state.open(publication)
            let entries = try SubscriberStore(database: db).list(includeInactive: all)
            if json {
                struct Item: Encodable { let address: String; let name: String?; let status: String; let created_at: Date }
                let encoder = JSONEncoder()
                encoder.dateEncodingStrategy = .iso8601
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                let items = entries.map { Item(address: $0.subscriber.address, name: $0.subscriber.name,
                                               status: $0.subscriber.status.rawValue, created_at: $0.createdAt) }
                print(String(decoding: try encoder.encode(items), as: UTF8.self))
                return
            }
            for e in entries {
                let s = e.subscriber
                print([s.address, s.name ?? "", all ? s.status.rawValue : nil].compactMap { $0 }.joined(separator: "\t"))
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import address[,name[,status]] rows from a CSV file; bad rows are reported and skipped (exit 65).")
        @Argument(help: "The publication folder.") var publication: String
        @Argument(help: "The CSV file.") var file: String
        @OptionGroup var state: StateLocation

        func run() throws {
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                printError("\(file): cannot read it as UTF-8 text")
                throw ExitCode(ExitStatus.dataError.rawValue)
            }
            let (_, db) = try state.open(publication)
            let report = try SubscriberStore(database: db).importCSV(text, path: file)
            for problem in report.problems { printError(problem.description) }
            print("imported \(report.added), already present \(report.alreadyPresent), bad rows \(report.problems.count)")
            if !report.problems.isEmpty { throw ExitCode(ExitStatus.dataError.rawValue) }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write every subscriber as CSV (address,name,status) to stdout.")
        @Argument(help: "The publication folder.") var publication: String
        @OptionGroup var state: StateLocation

        func run() throws {
            let (_, db) = try state.open(publication)
            FileHandle.standardOutput.write(Data(try SubscriberStore(database: db).exportCSV().utf8))
        }
    }
}
