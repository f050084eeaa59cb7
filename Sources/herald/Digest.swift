import ArgumentParser
import Foundation
import HeraldConfig
import HeraldUseCases

extension Herald {
    struct Digest: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "digest",
            abstract: "Preview the next digest: write it as a Maildir and as digest.html, changing no state.",
            discussion: """
                Without HERALD_UNSUBSCRIBE_SECRET or digest.unsubscribe_secret_file the message is signed \
                with a preview secret: its unsubscribe links do not work, and it says so in X-Herald-Preview.
                """)

        @Argument(help: "The publication folder, e.g. feeds/example.")
        var publication: String

        @Option(help: ArgumentHelp("Folder to write the Maildir (new/, cur/, tmp/) and digest.html into.", valueName: "dir"))
        var out: String

        @Option(
            help: ArgumentHelp(
                "Hold the posts dated at or after DATE (2025-03-01 or 2025-03-01T08:00:00+08:00) instead of the usual window.",
                valueName: "date"))
        var since: String?

        @Option(help: ArgumentHelp("Hold at most N posts, the newest.", valueName: "n"))
        var posts: Int?

        @Option(
            help: ArgumentHelp("Address the preview is rendered for, optionally with a name: \"小明 <a@example.org>\".", valueName: "address")
        )
        var to: String = PreviewDigest.defaultRecipient

        @Option(help: ArgumentHelp("Render as if it were DATE (same formats as --since); default now.", valueName: "date"))
        var date: String?

        @Option(
            help: ArgumentHelp(
                "Digest number shown in the subject and the message (default: the next one in the state database, else 1).", valueName: "n")
        )
        var number: Int?

        @OptionGroup var state: StateLocation

        @Option(help: ArgumentHelp("Folder of default templates instead of the built-in ones (else HERALD_TEMPLATES).", valueName: "dir"))
        var templates: String?

        func validate() throws {
            if let posts, posts < 1 { throw ValidationError("--posts must be at least 1") }
            if let number, number < 1 { throw ValidationError("--number must be at least 1") }
        }

        func run() throws {
            let pub = try Publication.load(from: publication)
            let preview = PreviewDigest(publication: pub)
            var request = PreviewDigest.Request(out: URL(fileURLWithPath: out), stateDirectory: state.directory(for: pub))
            request.now = try date.map { try preview.date($0, option: "--date") } ?? Date()
            request.since = try since.map { try preview.date($0, option: "--since") }
            request.limit = posts
            request.to = to
            request.number = number
            request.templates = templates
            switch try preview.run(request) {
            case .nothingToSend(let window):
                print(
                    "no posts for a digest (published \(window)): nothing written; "
                        + "widen it with --since DATE (and keep the newest N with --posts N)")
            case .written(let written):
                if written.usedPreviewSecret {
                    printError("note: no unsubscribe secret configured; links are signed with the preview secret and do not work")
                }
                print("\(written.subject): \(written.posts) post(s)")
                print(written.message.path)
                print(written.html.path)
            }
        }
    }
}
