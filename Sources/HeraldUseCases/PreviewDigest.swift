import Foundation
import HeraldBase
import HeraldConfig
import HeraldContent
import HeraldMail
import HeraldState

/// `herald digest`: the next digest written as a Maildir and as `digest.html`, changing
/// no state (a publication without a database gets none created).
public struct PreviewDigest {
    public struct Request {
        public var out: URL
        /// Posts dated at or after it instead of the usual window.
        public var since: Date?
        /// At most this many posts, the newest.
        public var limit: Int?
        public var to: String = DigestPreview.defaultRecipient
        public var now = Date()
        /// Nil: the next number in the state database, else 1.
        public var number: Int?
        public var stateDirectory: URL
        public var templatesDirectory: URL?

        public init(out: URL, stateDirectory: URL) {
            self.out = out
            self.stateDirectory = stateDirectory
        }
    }

    public enum Outcome {
        /// No post in the window; `window` says which one was used.
        case nothingToSend(window: String)
        case written(DigestPreview.Written, posts: Int)
    }

    public let publication: Publication
    public init(publication: Publication) { self.publication = publication }

    public func run(_ request: Request) throws -> Outcome {
        let loader = PostLoader(publication: publication)
        let scan = loader.scan()
        guard scan.problems.isEmpty else { throw InvalidPosts(problems: scan.problems) }
        // Start where `herald send` would: after the last digest in the journal, if there is one.
        let journal = try StateDatabase.existing(directory: request.stateDirectory).map(DeliveryJournal.init)
        let last = try journal?.lastSentDigest()
        let number = try request.number ?? journal?.nextDigestNumber() ?? 1
        let chosen = DigestSelection.select(scan.metas, after: last, now: request.now, settings: publication.digest,
                                            since: request.since, limit: request.limit)
        guard !chosen.isEmpty else {
            let window = request.since.map { "since \(InternetDates.rfc3339($0, offset: publication.timeZone.secondsFromGMT(for: $0)))" }
                ?? last.map { "after digest #\($0.number)" }
                ?? "in the last \(publication.digest.firstWindowDays) days (digest.first_window)"
            return .nothingToSend(window: window)
        }
        let rendered = loader.render(chosen)
        guard rendered.problems.isEmpty else { throw InvalidPosts(problems: rendered.problems) }
        let written = try DigestPreview.write(publication: publication, posts: rendered.posts, number: number,
                                              date: request.now, to: request.to, out: request.out,
                                              templatesDirectory: request.templatesDirectory)
        return .written(written, posts: rendered.posts.count)
    }
}

/// Posts that stop a preview or a send: each problem, then what to do.
struct InvalidPosts: ExitStatusError {
    let problems: [SourceProblem]
    var description: String {
        (problems.map(\.description) + ["fix these posts first (herald check lists every problem)"]).joined(separator: "\n")
    }
    var exitStatus: ExitStatus { .dataError }
}
