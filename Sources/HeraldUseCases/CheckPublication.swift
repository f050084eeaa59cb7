import Foundation
import HeraldBase
import HeraldConfig
import HeraldContent
import HeraldDigest
import HeraldMail
import HeraldState

/// `herald check`: every post read in full, and everything the timer's `herald run`
/// would trip on that can be known without sending: templates, the unsubscribe secret and
/// the SMTP credentials when sending is configured.
public struct CheckPublication {
    public struct Report: Sendable {
        public let posts: Int
        public let published: Int
        /// Content problems (exit 65), sorted by file and line.
        public let problems: [SourceProblem]
        /// What is left out of a post without refusing it (a shortcode Herald cannot
        /// render), sorted by file and line: shown, but the post is still published.
        public let notes: [SourceProblem]
        /// Settings that would stop a send (exit 78), each saying what to set.
        public let settingProblems: [String]
        /// The relays of `smtp.url` in order, with the TLS each gets: `smtp://mail.example.org:587 (STARTTLS required)`.
        public let relays: [String]
        public let scanTime: Stopwatch.Lap
        public let renderTime: Stopwatch.Lap
    }

    /// Posts rendered at a time: enough to keep both cores busy, and memory that of a chunk.
    static let renderChunk = 256

    public let publication: Publication
    public let environment: [String: String]
    /// Where `build` writes and `serve` publishes (nil: `public/NAME`), and the state folder.
    public let site: SiteLayout
    public let stateDirectory: URL

    /// `output` and `stateDirectory` as `--out` and `--state-dir` give them (nil: the defaults).
    public init(
        publication: Publication, output: URL? = nil, stateDirectory: URL? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.publication = publication
        self.environment = environment
        site = SiteLayout(publication: publication, root: output)
        self.stateDirectory = stateDirectory ?? StateDatabase.defaultDirectory(for: publication, environment: environment)
    }

    public func run(now: Date = Date()) -> Report {
        if let feedSource = FeedSourcePosts(publication: publication) { return check(feedSource, now: now) }
        let loader = PostLoader(publication: publication)
        var stopwatch = Stopwatch()
        let scan = loader.scan()
        let scanTime = stopwatch.lap()
        var renderProblems: [SourceProblem] = []
        var notes: [SourceProblem] = []
        for start in stride(from: 0, to: scan.metas.count, by: Self.renderChunk) {
            let chunk = scan.metas[start..<min(start + Self.renderChunk, scan.metas.count)]
            let rendered = loader.render(Array(chunk))
            renderProblems += rendered.problems
            notes += rendered.posts.flatMap(\.notes)
        }
        let renderTime = stopwatch.lap()
        return Report(
            posts: scan.metas.count, published: scan.metas.filter { $0.isPublished(at: now) }.count,
            problems: (scan.problems + renderProblems).sortedByLocation(), notes: labelNote() + (scan.notes + notes).sortedByLocation(),
            settingProblems: folderProblems() + stateProblems() + sendingProblems(), relays: relays(), scanTime: scanTime,
            renderTime: renderTime)
    }

    /// A publication fed by another site's feed: the feed fetched and read as a send would
    /// (nothing kept), each failure a problem, odd entries notes.
    private func check(_ feedSource: FeedSourcePosts, now: Date) -> Report {
        var stopwatch = Stopwatch()
        let state = (try? PublicationStore.openForReading(publication: publication, directory: stateDirectory, environment: environment))
            .flatMap { $0 }?.feedSource
        var problems: [SourceProblem] = []
        var notes: [SourceProblem] = []
        var count = 0
        do {
            let loaded = try feedSource.load(state: state, now: now, record: false)
            // Every entry rendered, as every post of a folder is.
            count = loaded.posts(withIDs: loaded.metas.map(\.source)).count
            notes = loaded.feed.notes.map { SourceProblem(path: feedSource.settings.url, message: $0) }
        } catch let error as FeedReadError {
            problems.append(SourceProblem(path: error.source, line: error.line, message: error.message))
        } catch {
            problems.append(SourceProblem(path: publication.configPath, message: "source: \(error)"))
        }
        let lap = stopwatch.lap()
        return Report(
            posts: count, published: count, problems: problems, notes: labelNote() + notes,
            settingProblems: folderProblems() + stateProblems() + sendingProblems(), relays: relays(), scanTime: lap,
            renderTime: stopwatch.lap())
    }

    /// A language without a label table gets English words around its posts (digest, subscriber
    /// pages, the feed page): said once, with what a translation takes.
    private func labelNote() -> [SourceProblem] {
        let language = publication.language
        let primary = language.split(separator: "-").first.map { $0.lowercased() } ?? language
        guard LabelTables.table(for: language) == LabelTables.fallback, primary != LabelTables.fallback else { return [] }
        let text = (try? String(contentsOfFile: publication.configPath, encoding: .utf8)) ?? ""
        let line = text.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.hasPrefix("language:") }.map { $0 + 1 }
        return [
            SourceProblem(
                path: publication.configPath, line: line,
                message: "language \(language) has no label table "
                    + "(templates/labels/\(primary).yml in Herald's source), so the digest, the subscriber pages and the feed page say their "
                    + "own words in English; a translation is one file with the keys of templates/labels/en.yml")
        ]
    }

    /// With `smtp.url` set the timer sends; what it needs beyond herald.yml is checked here.
    /// The state folder inside the output folder, or the other way round.
    private func folderProblems() -> [String] {
        do { try site.requireApart(fromState: stateDirectory) } catch { return ["\(publication.configPath): \(error.message)"] }
        return []
    }

    /// A PostgreSQL state must be reachable with the password the environment, the file or
    /// the credential gives; checked by connecting, changing nothing.
    private func stateProblems() -> [String] {
        guard let server = publication.stateServer else { return [] }
        do throws(PostgresStateError) {
            _ = try PostgresState.probe(server: server, passwordFile: publication.statePasswordFile, environment: environment)
        } catch {
            return ["\(publication.configPath): \(error)"]
        }
        return []
    }

    private func relays() -> [String] {
        let smtp = publication.smtp
        return smtp.relays.map { relay in
            let tls =
                relay.scheme?.lowercased() == "smtps"
                ? "TLS from the first byte" : "STARTTLS \(smtp.effectiveStartTLS(for: relay).rawValue)"
            return "\(relay.absoluteString) (\(tls))"
        }
    }

    private func sendingProblems() -> [String] {
        guard publication.smtp.url != nil else { return [] }
        var problems: [String] = []
        let path = publication.configPath
        if publication.digest.from == nil { problems.append("\(path): \(DigestError.missingFrom)") }
        do { _ = try UnsubscribeSecret.required(for: publication, environment: environment) } catch {
            problems.append("\(path): \(error)")
        }
        do {
            try publication.smtp.checkCredentials(environment: environment, baseDirectory: publication.directory)
        } catch {
            problems.append("\(path): \(error)")
        }
        do throws(DigestError) { _ = try TemplateSet.locate(for: publication) } catch { problems.append(error.description) }
        if let dkim = publication.dkim {
            do { _ = try DKIMKey.load(for: dkim, baseDirectory: publication.directory, environment: environment) } catch {
                problems.append("\(path): \(error)")
            }
        }
        return problems
    }
}
