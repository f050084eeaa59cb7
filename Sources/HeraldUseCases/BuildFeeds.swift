import Foundation
import HeraldBase
import HeraldConfig
import HeraldContent
import HeraldFeeds

/// `herald build` for one publication: its feeds written into its output folder, and
/// WebSub hubs told what changed.
public struct BuildFeeds {
    public struct Outcome: Sendable {
        /// Problems with posts that did not stop the build, warnings, and hubs that did not answer (stderr).
        public let problems: [String]
        /// The summary line, or with `json` the report as one JSON document (stdout).
        public let report: String
    }

    let publication: Publication
    let site: SiteLayout
    let options: FeedBuilder<PostLoader>.Options

    public init(publication: Publication, output: URL?, stateDirectory: URL, skipInvalid: Bool, allowShrink: Bool) {
        self.publication = publication
        site = SiteLayout(publication: publication, root: output)
        options = .init(
            output: site.root, stateDirectory: stateDirectory,
            skipInvalid: skipInvalid, allowShrink: allowShrink)
    }

    /// A failure to build (invalid posts, an unwritable folder) comes with its exit status.
    public func run(json: Bool) throws(Failure) -> Outcome {
        // Its build record lives in the state folder: refused before anything is written.
        try site.requireApart(fromState: options.stateDirectory)
        if let source = publication.source, !PublicationFeeds.areBuilt(for: publication) {
            // The feed is the other site's to publish; Herald only mails its entries.
            let line = "\(publication.name): posts come from \(source.url): nothing to build (feeds: in herald.yml republishes them)"
            return Outcome(problems: [], report: json ? #"{"built":false,"source":"\#(source.url)"}"# : line)
        }
        // One arena per core: a build's threads come and go chunk by chunk (see MallocArenas).
        MallocArenas.limit(to: ProcessInfo.processInfo.activeProcessorCount)
        let report = try PublicationFeeds.build(publication, options: options)
        let archive = PublishArchiveIndex(publication: publication, site: site).run()
        let problems = report.problems + report.warnings + [archive].compactMap { $0 } + WebSubPing.announce(report, of: publication)
        guard json else { return Outcome(problems: problems, report: report.summary) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Outcome(problems: problems, report: String(decoding: (try? encoder.encode(report)) ?? Data(), as: UTF8.self))
    }
}
