import Foundation
import HeraldBase
import HeraldConfig
import HeraldContent
import HeraldFeeds
import HeraldMail
import HeraldState
import Logging

/// What the systemd timer runs (`herald run`): build the feeds, then finish any
/// unfinished send, then send the next digest if `digest.schedule` says one is due.
/// Every step is idempotent, so a late, doubled or post-crash firing is safe.
public struct PublishRun {
    public struct Summary {
        public var build: BuildReport?
        public var send: SendRun.Summary?
        /// Lines for the operator (stdout), in order.
        public var notes: [String] = []
        /// Problems (stderr), in order.
        public var problems: [String] = []
        /// The worst outcome of the steps, as a sysexits code.
        public var status: ExitStatus = .ok
    }

    public let publication: Publication
    /// The output folder; nil is the default one.
    public let output: URL?
    public let stateDirectory: URL
    public let skipInvalid: Bool
    public let allowShrink: Bool
    public let now: Date
    public let environment: [String: String]

    public init(
        publication: Publication, output: URL?, stateDirectory: URL, skipInvalid: Bool = false,
        allowShrink: Bool = false, now: Date = Date(), environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.publication = publication
        self.output = output
        self.stateDirectory = stateDirectory
        self.skipInvalid = skipInvalid
        self.allowShrink = allowShrink
        self.now = now
        self.environment = environment
    }

    public func run(logger: Logger, progress: SendProgress = .logLines) -> Summary {
        var summary = Summary()
        let site = SiteLayout(publication: publication, root: output)
        if let source = publication.source, !PublicationFeeds.areBuilt(for: publication) {
            summary.notes.append("\(publication.name): posts come from \(source.url): nothing to build")
        } else if let status = build(site: site, summary: &summary) {
            summary.status = status
            guard publication.source != nil else { return summary }
            // A source feed that cannot be read still lets an unfinished digest be finished
            // from the answer kept in state; a new digest fails on it as the build did.
            var sent = send(site: site, summary: summary, logger: logger, progress: progress)
            if sent.status == .ok { sent.status = status }
            return sent
        }
        return send(site: site, summary: summary, logger: logger, progress: progress)
    }

    /// The feeds and the archive index; the exit status when invalid posts stop the run.
    private func build(site: SiteLayout, summary: inout Summary) -> ExitStatus? {
        let options = FeedBuilder<PostLoader>.Options(
            output: site.root, stateDirectory: stateDirectory, skipInvalid: skipInvalid, allowShrink: allowShrink, now: now)
        do {
            let report = try PublicationFeeds.build(publication, options: options)
            summary.build = report
            summary.problems += report.problems + report.warnings
            if let warning = PublishArchiveIndex(publication: publication, site: site).run() { summary.problems.append(warning) }
            summary.problems += WebSubPing.announce(report, of: publication)
            summary.notes.append(report.summary)
        } catch {
            // Invalid posts stop the run before any mail: a digest must not go out
            // with a post missing that the feeds would have had. So does a source feed
            // that cannot be read: the send would fail on it too.
            summary.problems.append(error.description)
            return error.exitStatus
        }
        return nil
    }

    private func send(site: SiteLayout, summary: Summary, logger: Logger, progress: SendProgress) -> Summary {
        var summary = summary
        let schedule = publication.digest.schedule
        guard publication.smtp.url != nil else {
            summary.notes.append("\(publication.name): digest not sent: no smtp.url configured")
            return summary
        }

        var options = SendRun.Options()
        options.now = now
        options.environment = environment
        options.site = site
        options.holdNewDigest = { last, now in
            guard !schedule.isDue(now: now, lastDigestAt: last?.createdAt) else { return nil }
            if case .manual = schedule.kind { return "digest.schedule is manual (use herald send)" }
            return "no digest due (schedule \(schedule); last digest \(last.map { "#\($0.number)" } ?? "none"))"
        }
        let send = SendRun(
            publication: publication, stateDirectory: stateDirectory,
            source: ComposedDigests(publication: publication, stateDirectory: stateDirectory),
            logger: logger,
            options: options, display: progress.display(logger: logger)
        ).run()
        summary.send = send
        for (number, c) in send.digests {
            summary.notes.append("\(publication.name): digest #\(number): \(c.summary)")
        }
        if let message = send.message {
            if send.status == .ok {
                summary.notes.append("\(publication.name): \(message)")
            } else {
                summary.problems.append(URLCredentials.redacted(message))
            }
        }
        summary.status = send.status
        return summary
    }
}
