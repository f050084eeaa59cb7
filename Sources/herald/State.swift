import ArgumentParser
import Foundation
import HeraldConfig
import HeraldUseCases

extension Herald {
    struct State: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "state",
            abstract: "Move a publication's state between SQLite and PostgreSQL.",
            subcommands: [Copy.self])

        struct Copy: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "copy",
                abstract: "Copy the publication's state into an empty one of the other kind, and compare them.",
                discussion: """
                    From the SQLite folder to a PostgreSQL database (--to postgresql://HOST/DB?user=NAME), or, \
                    when herald.yml says state: postgresql://…, from it to a SQLite folder (--to DIR). The \
                    password comes from HERALD_STATE_PASSWORD or the credential state-password (and \
                    state_password_file for the configured database). Every table's rows and checksum are \
                    printed for both sides; a difference exits 74. Run it while no herald sends or serves.
                    """)

            @Argument(help: "The publication folder, e.g. feeds/example.")
            var publication: String
            @Option(help: "The target: a postgresql:// URL (no password in it) or a folder.")
            var to: String
            @OptionGroup var state: StateLocation

            func run() throws {
                let pub = try Publication.load(from: publication)
                try CopyState(state.of(pub), to: to).run().lines.forEach { print($0) }
            }
        }
    }
}
