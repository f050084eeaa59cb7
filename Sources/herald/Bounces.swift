import ArgumentParser
import Foundation
import HeraldConfig
import HeraldUseCases

extension Herald {
    struct Bounces: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bounces",
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
            case (.some(let s), nil) where s != "-":
                throw ValidationError("\(s.debugDescription): use --maildir DIR for a Maildir, or - for standard input")
            default: break
            }
        }

        func run() throws {
            let pub = try Publication.load(from: publication)
            let bounces = try ReadBounces(publication: pub, stateDirectory: state.directory(for: pub))
            if let maildir {
                let result = try bounces.readMaildir(URL(fileURLWithPath: maildir))
                result.read.forEach { print($0) }
                result.leftInPlace.forEach(printError)
                return
            }
            print(try bounces.readOne(Array(FileHandle.standardInput.readDataToEndOfFile())))
        }
    }
}
