import ArgumentParser
import Foundation
import HeraldBase
import HeraldUseCases

extension Herald {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Write a commented herald.yml for a Hugo site's section, or for a folder of posts.",
            discussion: """
                Without --hugo: writes feeds/NAME/herald.yml (or DIR/herald.yml with --out) for Markdown \
                posts in its posts/ folder, and creates that folder with one draft post. --base-url is the \
                address the posts are published at.

                With --hugo: reads the site's config (hugo.toml|yaml|json, config.*, config/_default/) and writes \
                feeds/NAME/herald.yml (or DIR/herald.yml with --out) pointing at the site, with the values \
                it read shown as comments and the digest and SMTP keys to fill in. The section: --section, else the \
                site's mainSections, else the section with the most dated pages (init says which it chose and what \
                else there was). A multilingual site is one publication per language that has dated pages in the \
                section, each in feeds/NAME-LANG (or DIR-LANG); --language writes that language's alone, in feeds/NAME.

                With --feed URL: fetches another site's feed (Atom, RSS or JSON Feed; http(s) or file:) and \
                writes feeds/NAME/herald.yml (or DIR/herald.yml with --out) whose posts are that feed's \
                entries, with its title, language and home page filled in.
                """)

        @Option(help: "The Hugo site's folder.")
        var hugo: String?

        @Option(help: "Another site's feed (http(s) or file:) whose entries are the publication's posts.")
        var feed: String?

        @Option(help: "Without --hugo: the address the posts are published at, such as https://example.org/.")
        var baseURL: String?

        @Option(help: "Without --hugo: the publication's title. Default: NAME.")
        var title: String?

        @Option(
            help:
                "The IANA time zone of dates and the digest schedule. Default: with --hugo the site's timeZone, else this machine's."
        )
        var timezone: String?

        @Option(
            help: "The top-level section to publish. Default: the site's mainSections, else the section with the most dated pages.")
        var section: String?

        @Option(
            help:
                "With --hugo: one of the site's languages (default: each with dated pages); without: the BCP 47 language (default: en)."
        )
        var language: String?

        @Option(help: "The folder to write herald.yml in. Default: feeds/NAME.")
        var out: String?

        @Argument(help: "The publication's name. Default: the site folder's name; without --hugo, required.")
        var name: String?

        func validate() throws {
            if feed != nil {
                try FeedInitOptions.validate(
                    name: name, hugo: hugo, section: section, baseURL: baseURL, title: title, language: language)
                return
            }
            if hugo != nil {
                for (flag, value) in [("--base-url", baseURL), ("--title", title)] where value != nil {
                    throw ValidationError("\(flag) is read from the Hugo site with --hugo; override it in herald.yml instead")
                }
            } else {
                if name == nil { throw ValidationError("Name the publication: herald init NAME --base-url URL (or use --hugo SITE)") }
                if baseURL == nil {
                    throw ValidationError("Without --hugo, --base-url URL is needed: the address the posts are published at")
                }
                if section != nil { throw ValidationError("--section needs --hugo SITE") }
            }
        }

        func run() throws {
            if let feed, let name {
                let path = out ?? "feeds/\(name)"
                let file = try FeedPublicationTemplate(url: feed, timeZone: timezone, folder: URL(fileURLWithPath: path)).write()
                print("wrote \(file): check it with `herald check \(path)`")
            } else if let hugo {
                let name = self.name ?? URL(fileURLWithPath: hugo).standardizedFileURL.lastPathComponent
                let path = out ?? "feeds/\(name)"
                let outcome = try HugoPublicationTemplate(
                    site: hugo, section: section, language: language, timeZone: timezone, folder: path
                ).write()
                outcome.notes.forEach { print($0) }
                for written in outcome.written { print("wrote \(written.file)") }
                let folders = outcome.written.map(\.folder)
                print("check \(folders.count == 1 ? "it" : "them") with `herald check \(folders.joined(separator: " "))`")
            } else if let name, let baseURL {
                let path = out ?? "feeds/\(name)"
                let file = try PlainPublicationTemplate(
                    title: title ?? name, baseURL: baseURL, language: language,
                    timeZone: timezone, folder: URL(fileURLWithPath: path)
                ).write()
                print("wrote \(file) and a draft in \(path)/posts: check it with `herald check \(path)`")
            }
        }
    }
}
