import ArgumentParser
import Foundation
import HeraldBase
import HeraldUseCases

extension Herald {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a commented herald.yml for a section of a Hugo site.",
            discussion: """
                Reads the site's config (hugo.toml|yaml|json, config.*, config/_default/) and writes \
                feeds/NAME/herald.yml (or DIR/herald.yml with --out) pointing at the site, with the values \
                it read shown as comments and the digest and SMTP keys to fill in. A multilingual site \
                is one publication per language: run init once for each.
                """)

        @Option(help: "The Hugo site's folder.")
        var hugo: String

        @Option(help: "The top-level section to publish. Default: the site's mainSections, else its largest section.")
        var section: String?

        @Option(help: "Which of the site's languages. Default: its defaultContentLanguage.")
        var language: String?

        @Option(help: "The folder to write herald.yml in. Default: feeds/NAME.")
        var out: String?

        @Argument(help: "The publication's name. Default: the site folder's name.")
        var name: String?

        func run() throws {
            let name = self.name ?? URL(fileURLWithPath: hugo).standardizedFileURL.lastPathComponent
            let folder = URL(fileURLWithPath: out ?? "feeds/\(name)")
            let file = try HugoPublicationTemplate(site: hugo, section: section, language: language, folder: folder).write()
            print("wrote \(file): check it with `herald check \(out ?? "feeds/\(name)")`")
        }
    }
}
