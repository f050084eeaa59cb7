import Foundation
import HeraldBase
import HeraldConfig
import HeraldContent
import HeraldDigest
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
        public var to: String = PreviewDigest.defaultRecipient
        public var now = Date()
        /// Nil: the next number in the state database, else 1.
        public var number: Int?
        public var stateDirectory: URL
        /// A folder of default templates instead of the built-in ones (else HERALD_TEMPLATES).
        public var templates: String?

        public init(out: URL, stateDirectory: URL) {
            self.out = out
            self.stateDirectory = stateDirectory
        }
    }

    public enum Outcome {
        /// No post in the window; `window` says which one was used.
        case nothingToSend(window: String)
        case written(Written)
    }

    /// What a preview wrote.
    public struct Written: Sendable {
        public let subject: String
        public let posts: Int
        /// The message in the Maildir, and the HTML part as a page.
        public let message: URL
        public let html: URL
        /// No secret is configured: the links are signed with the preview secret and do not work.
        public let usedPreviewSecret: Bool
    }

    /// Whom a preview is addressed to unless `--to` says.
    public static let defaultRecipient = DigestPreview.defaultRecipient

    /// A date given to `--since` or `--date`: a day (midnight in the publication's time zone), a
    /// local date-time or RFC 3339, as in front matter.
    public func date(_ text: String, option: String) throws -> Date {
        guard let date = CommandLineDate.parse(text, timeZone: publication.timeZone) else {
            throw Failure(.usage, "\(option) \(text.debugDescription) is not a date such as 2025-03-01 or 2025-03-01T08:00:00+08:00")
        }
        return date
    }

    public let publication: Publication
    public init(publication: Publication) { self.publication = publication }

    public func run(_ request: Request) throws -> Outcome {
        let templates = try request.templates.flatMap { dir throws(DigestError) in try TemplateLocator.find(explicit: dir) }
        // Templates, labels and dates are made on another thread while the posts are read.
        let prepared = DigestPreparation(publication: publication, templatesDirectory: templates)
        let store = try PublicationStore.openForReading(publication: publication, directory: request.stateDirectory)
        let journal = store?.digestHistory
        // Start where `herald send` would: after the last digest in the journal, if there is one.
        let last = try journal?.lastSentDigest()
        let number = try request.number ?? journal?.nextDigestNumber() ?? 1
        let posts: [Post]
        if let feedSource = FeedSourcePosts(publication: publication) {
            // Read as a send would, but nothing kept: entries not seen yet count as new.
            let loaded = try feedSource.load(state: store?.feedSource, now: request.now, record: false)
            let sent = Set(try journal?.digests().flatMap(\.postIDs) ?? [])
            let chosen = DigestSelection.selectEntries(
                loaded.metas, id: \.source, firstSeen: loaded.firstSeen, sent: sent, after: last, now: request.now,
                settings: publication.digest, since: request.since, limit: request.limit)
            posts = loaded.posts(withIDs: chosen.map(\.source))
            // The whole feed's entries and facts are not needed past here: freed on another thread.
            releaseInBackground(consume loaded)
        } else {
            let loader = PostLoader(publication: publication)
            let scan = loader.scan()
            guard scan.problems.isEmpty else { throw InvalidPosts(problems: scan.problems) }
            let chosen = DigestSelection.select(
                scan.metas, after: last, now: request.now, settings: publication.digest,
                since: request.since, limit: request.limit)
            let rendered = loader.render(chosen)
            guard rendered.problems.isEmpty else { throw InvalidPosts(problems: rendered.problems) }
            posts = rendered.posts
        }
        guard !posts.isEmpty else {
            let window =
                request.since.map { "since \(InternetDates.rfc3339($0, offset: publication.timeZone.secondsFromGMT(for: $0)))" }
                ?? last.map { "after digest #\($0.number)" }
                ?? "in the last \(publication.digest.firstWindowDays) days (digest.first_window)"
            return .nothingToSend(window: window)
        }
        let written = try DigestPreview.write(
            publication: publication, posts: posts, number: number,
            date: request.now, to: request.to, out: request.out,
            templatesDirectory: templates, prepared: prepared)
        return .written(
            Written(
                subject: written.subject, posts: posts.count, message: written.message,
                html: written.html, usedPreviewSecret: written.usedPreviewSecret))
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
