import ArgumentParser
import Foundation
import HeraldUseCases

extension Herald {
    struct Templates: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "templates",
            abstract: "Work with the digest templates built into herald.",
            subcommands: [Export.self])
    }
}

extension Herald.Templates {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write the built-in digest templates and feed page (feed.xsl) into DIR, to start a publication's own from.",
            discussion: """
                Put the ones you change into the publication's templates/ folder (next to herald.yml): \
                each file there replaces the built-in one of the same name. Existing files are not overwritten.
                """)

        @Argument(help: "The folder to write into, e.g. feeds/weekly/templates.")
        var directory: String

        func run() throws {
            let result = try ExportTemplates.run(into: URL(fileURLWithPath: directory))
            for name in result.written { print("wrote \((directory as NSString).appendingPathComponent(name))") }
            for name in result.kept { print("kept \((directory as NSString).appendingPathComponent(name)) (already there)") }
        }
    }
}
