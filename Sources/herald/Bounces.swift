import ArgumentParser
import Foundation
import HeraldBase
import HeraldMail
import HeraldState
import HeraldUseCases

extension Herald {
    struct Bounces: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read bounces (RFC 3464) and abuse reports (RFC 5965) and apply them to the subscribers.",
            discussion: """
                A hard bounce (5.x.x) marks the subscriber bounced, digest.soft_bounce_limit soft ones \
                within digest.soft_bounce_days do too, an abuse report unsubscribes. `-` reads one message \
                from standard input (a Postfix pipe): mail that is not a report exits 65. --maildir reads \
                every unread message, marks reports read (cur/, flag S) and leaves other mail unread.
                """)
        @Argument(help: "The publication folder.") var publication: String
        @Argument(help: "`-`: one message from standard input.") var source: String?
        @Option(help: "A Maildir the bounce address is delivered to.") var maildir: String?
        @OptionGroup var state: StateLocation

        func validate() throws {
            switch (source, maildir) {
            case (nil, nil): throw ValidationError("say where the reports are: --maildir DIR, or - for standard input")
            case (.some, .some): throw ValidationError("give either --maildir DIR or -, not both")
            case (.some(let s), nil) where s != "-": throw ValidationError("\(s.debugDescription): use --maildir DIR for a Maildir, or - for standard input")
            default: break
            }
        }

        func run() throws {
            let (pub, db) = try state.open(publication)
            let bounces = ReadBounces(publication: pub, database: db)
            if let maildir {
                let result = try bounces.read(maildir: try MaildirInbox(directory: URL(fileURLWithPath: maildir)))
                for (file, outcome) in result.read { print(Self.line(outcome, from: file)) }
                // Listed on every run until a human moves it; not a failure of the run (exit 0).
                for (file, reason) in result.leftInPlace { printError("\(file): left in place: \(ControlEscaping.escaped(reason))") }
                return
            }
            switch try bounces.read(Array(FileHandle.standardInput.readDataToEndOfFile())) {
            case .success(let outcome): print(Self.line(outcome, from: "stdin"))
            case .failure(let problem): throw CommandFailure(.dataError, "stdin: \(ControlEscaping.escaped(problem.reason))")
            }
        }

        /// `stdin: bounced ana@example.org: hard bounce 5.1.1`
        static func line(_ outcome: BounceJournal.Outcome, from source: String) -> String {
            let decision = outcome.decision?.rawValue ?? "unchanged"
            let who = outcome.address.map { " \($0)" } ?? ""
            return "\(source): \(decision)\(who): \(ControlEscaping.escaped(outcome.reason))"
        }
    }
}
