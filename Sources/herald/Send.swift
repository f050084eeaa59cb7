#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import HeraldBase
import Logging
import HeraldConfig
import HeraldMail

extension Herald {
    struct Send: ParsableCommand {
        static let configuration = CommandConfiguration(
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
        @Option(name: .customLong("test"), help: ArgumentHelp(
            "Send the next digest to this one address through the real SMTP server and print its reply; journals nothing.",
            valueName: "ADDRESS"))
        var testAddress: String?

        func validate() throws {
            if dryRun && out == nil { throw ValidationError("--dry-run needs --out DIR (a Maildir to write the messages into)") }
            if out != nil && !dryRun { throw ValidationError("--out goes with --dry-run: without it messages are sent, not written") }
            if testAddress != nil && (dryRun || resendUncertain) {
                throw ValidationError("--test sends one message and journals nothing: it does not combine with --dry-run or --resend-uncertain")
            }
            if let testAddress {
                do { _ = try EmailAddress(testAddress) } catch { throw ValidationError("--test: \(error)") }
            }
        }

        func run() throws {
            let pub = try Publication.load(from: publication)
            let terminal = isatty(STDERR_FILENO) == 1
            let logger = bootstrapLogging(label: "herald.send.\(pub.name)")
            if let testAddress, let address = try? EmailAddress(testAddress) {
                let result = TestSend(publication: pub, stateDirectory: state.directory(for: pub),
                                      source: ComposedDigests(publication: pub), address: address).run()
                if result.status == .ok { print(result.message) } else { printError(result.message) }
                if result.status != .ok { throw ReportedFailure(exitStatus: result.status) }
                return
            }
            var options = SendRun.Options()
            options.resendUncertain = resendUncertain
            options.dryRunMaildir = out.map { URL(fileURLWithPath: $0) }
            let run = SendRun(publication: pub, stateDirectory: state.directory(for: pub), source: ComposedDigests(publication: pub),
                              logger: logger, options: options) { sender in
                terminal ? Self.withBar(sender) : Self.withLogLines(sender, logger: logger)
            }
            let summary = run.run()
            for (number, c) in summary.digests where !dryRun {
                print("digest #\(number): \(c.summary)")
            }
            if let message = summary.message {
                if summary.status == .ok { print(message) } else { printError(message) }
            }
            if summary.status != .ok { throw ReportedFailure(exitStatus: summary.status) }
        }

        /// A bar redrawn in place on stderr.
        static func withBar(_ sender: DigestSender) -> DigestSender.Report {
            let report = sender.run(tickInterval: 0.2) { progress in
                FileHandle.standardError.write(Data(("\r\u{1B}[K" + progress.bar()).utf8))
            }
            FileHandle.standardError.write(Data("\n".utf8))
            return report
        }

        /// journald gets a plain line every 10 seconds instead of a bar.
        static func withLogLines(_ sender: DigestSender, logger: Logger) -> DigestSender.Report {
            var last = Date()
            let report = sender.run(tickInterval: 0.5) { progress in
                if Date().timeIntervalSince(last) >= 10 { logger.info("\(progress.line())"); last = Date() }
            }
            logger.info("\(sender.progress.line())")
            return report
        }
    }
}
