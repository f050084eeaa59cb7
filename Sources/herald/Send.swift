import ArgumentParser
import Foundation
import HeraldBase
import HeraldConfig
import HeraldUseCases

#if canImport(Glibc)
#endif
extension Herald {
    struct Send: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "send",
            abstract: "Send the next digest to every active subscriber over SMTP (resuming an unfinished one first).",
            discussion: """
                Exit status: 0 done (or nothing to send), 65 bad content, 69 SMTP server unavailable (or \
                deliveries pending longer than smtp.alert_pending_after_minutes), 75 another run holds the lock \
                or deliveries are left pending for the next run, 78 SMTP settings or credentials wrong.
                """)

        @Argument(help: "The publication folder, e.g. feeds/example.")
        var publication: String
        @OptionGroup var state: StateLocation
        @Flag(help: "Send again the deliveries left uncertain by a crash (the subscriber may get a duplicate).")
        var resendUncertain = false
        @Flag(help: "Render every message into a Maildir (--out) instead of sending; the journal is not changed.")
        var dryRun = false
        @Option(help: "Maildir for --dry-run.")
        var out: String?
        @Option(
            help:
                "The site's folder: each digest sent gets its web page in archive/N/ at the publication's path there. Default: public/NAME."
        )
        var site: String?
        @Option(
            name: .customLong("test"),
            help: ArgumentHelp(
                "Send the next digest to this one address through the real SMTP server and print its reply; journals nothing.",
                valueName: "ADDRESS"))
        var testAddress: String?

        func validate() throws {
            if dryRun && out == nil { throw ValidationError("--dry-run needs --out DIR (a Maildir to write the messages into)") }
            if out != nil && !dryRun { throw ValidationError("--out goes with --dry-run: without it messages are sent, not written") }
            if testAddress != nil && (dryRun || resendUncertain) {
                throw ValidationError(
                    "--test sends one message and journals nothing: it does not combine with --dry-run or --resend-uncertain")
            }
            if let testAddress {
                do { _ = try EmailAddress(testAddress) } catch { throw ValidationError("--test: \(error)") }
            }
        }

        func run() throws {
            let pub = try Publication.load(from: publication)
            let logger = bootstrapLogging(label: "herald.send.\(pub.name)")
            var request = SendDigest.Request()
            request.resendUncertain = resendUncertain
            request.dryRunMaildir = out.map { URL(fileURLWithPath: $0) }
            request.output = site.map { URL(fileURLWithPath: $0) }
            request.testAddress = try testAddress.map { try EmailAddress($0) }
            request.progress = terminalProgress
            let outcome = SendDigest(state.of(pub)).run(request, logger: logger)
            outcome.lines.forEach { print($0) }
            if let message = outcome.message {
                if outcome.status == .ok { print(message) } else { printError(message) }
            }
            if outcome.status != .ok { throw Failure(exitStatus: outcome.status) }
        }
    }
}

/// A bar on a terminal, log lines for journald.
var terminalProgress: SendProgress { isatty(STDERR_FILENO) == 1 ? .bar : .logLines }
