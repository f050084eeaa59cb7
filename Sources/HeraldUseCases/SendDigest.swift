import Foundation
import HeraldBase
import HeraldConfig
import HeraldMail
import Logging

/// `herald send`: the next digest to every active subscriber (or, with a test address, to
/// that one address through the real server, journaling nothing).
public struct SendDigest {
    public struct Request {
        public var resendUncertain = false
        /// `--dry-run --out DIR`: render into a Maildir; the journal is not touched.
        public var dryRunMaildir: URL?
        /// The output folder the archive pages go into; nil is the default one.
        public var output: URL?
        /// `--test ADDRESS`.
        public var testAddress: EmailAddress?
        public var progress = SendProgress.logLines
        public init() {}
    }

    /// What the command prints: results for stdout, the problem for stderr, the status.
    public struct Outcome: Sendable {
        public var lines: [String] = []
        public var message: String?
        public var status: ExitStatus = .ok
    }

    let state: PublicationState
    var publication: Publication { state.publication }

    public init(_ state: PublicationState) { self.state = state }

    public func run(_ request: Request, logger: Logger) -> Outcome {
        var outcome = Outcome()
        let source = ComposedDigests(publication: publication, stateDirectory: state.directory)
        if let address = request.testAddress {
            let result = TestSend(publication: publication, stateDirectory: state.directory, source: source, address: address).run()
            outcome.status = result.status
            outcome.message = URLCredentials.redacted(result.message)
            return outcome
        }
        var options = SendRun.Options()
        options.resendUncertain = request.resendUncertain
        options.dryRunMaildir = request.dryRunMaildir
        options.site = SiteLayout(publication: publication, root: request.output)
        let summary = SendRun(
            publication: publication, stateDirectory: state.directory, source: source, logger: logger,
            options: options, display: request.progress.display(logger: logger)
        ).run()
        if request.dryRunMaildir == nil {
            outcome.lines = summary.digests.map { "digest #\($0.number): \($0.counts.summary)" }
        }
        // A failure line may name the server's URL; its user-info never reaches the terminal or the alert mail.
        outcome.message = summary.message.map(URLCredentials.redacted)
        outcome.status = summary.status
        return outcome
    }
}
