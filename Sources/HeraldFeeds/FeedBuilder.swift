import Dispatch
import Foundation
import HeraldBase
import HeraldConfig
import HeraldContent

/// Builds every feed of one publication into its output folder: the one entry point
/// for `herald build` and `herald run`.
///
/// Order of work, each step cheap before the next costly one:
/// 1. fingerprint the inputs; if the last build's record matches, stop (nothing read);
///    a first build takes the fingerprint from the scan's stamps instead;
/// 2. scan front matter; refuse on problems unless `skipInvalid`;
/// 3. plan the feeds from metadata; render only the posts a feed carries, in chunks,
///    streaming each into every feed that holds it (Atom on one thread, RSS and JSON Feed on another);
/// 4. commit every file (unchanged bytes are left alone), then remove feeds that are gone,
///    then write the record.
public struct FeedBuilder<Source: PostSource>: Sendable {
    public struct Options: Sendable {
        /// The site's folder (`SiteLayout.root`): the publication's files go in its folder
        /// there, and Hugo's feed addresses are relative to it.
        public var output: URL
        /// The publication's state folder, where the record of the last build is kept.
        public var stateDirectory: URL
        public var skipInvalid: Bool
        /// Publish even when the posts folder is gone, or when more than half of the
        /// entries the feeds hold now would go.
        public var allowShrink: Bool
        /// Posts dated after this are not published yet. Injected so tests control time.
        public var now: Date
        /// Set when the posts come from the network (another site's feed), not a folder.
        public var fetched: FetchedInput?

        public init(
            output: URL, stateDirectory: URL, skipInvalid: Bool = false, allowShrink: Bool = false,
            now: Date = Date(), fetched: FetchedInput? = nil
        ) {
            self.output = output
            self.stateDirectory = stateDirectory
            self.skipInvalid = skipInvalid
            self.allowShrink = allowShrink
            self.now = now
            self.fetched = fetched
        }
    }

    /// Posts rendered at a time: enough to keep both cores busy, few enough that a full
    /// 10,000-post build holds only a few chunks of HTML (BENCHMARKS.md, "Where the figures stand").
    static var chunkSize: Int { 256 }
    /// Chunks being rendered while the writers write one; each holds its posts' entries
    /// (some 6 MB for 256 long posts, in both formats).
    static var chunksAhead: Int { 2 }
    /// Feed folders written in one pass over the posts (three open files each).
    static var plansPerPass: Int { 200 }

    public let publication: Publication
    public let source: Source
    public let options: Options
    /// How close to the build a post's stamp may be before its feeds get no memo
    /// (`FeedMemo`); tests set 0, as `PostLoader.cacheRacyMargin`.
    var memoRacyMargin = ScanCache.racyMargin

    public init(publication: Publication, source: Source, options: Options) {
        self.publication = publication
        self.source = source
        self.options = options
    }

    public func build() throws(BuildFailure) -> BuildReport {
        var clock = Stopwatch()
        // Stamps from here back by the margin may still change unseen (`FeedMemo`).
        let racyFrom = ScanCache.now() - memoRacyMargin
        let output = OutputSet(root: options.output.standardizedFileURL, stateDirectory: options.stateDirectory)
        let previous = output.previous
        var report = BuildReport(
            publication: publication.name, output: options.output.path, upToDate: false,
            postsLoaded: 0, postsPublished: 0, feedsWritten: 0, feedsUnchanged: 0,
            feedsRemoved: 0, problems: [], seconds: 0)

        // With a previous build, its fingerprint is checked before anything is read. Without
        // one (a first build) there is nothing to compare, and the scan's own stamps give
        // the fingerprint afterwards: one walk of the folder instead of two.
        var checked: String?
        var listed: (listing: PostFiles.Listing, stamps: [FileStamp])?
        if let previous {
            // A fetched feed is its bytes; a folder is its files' stamps, kept for the scan.
            let listing = options.fetched == nil ? PostFiles.listing(for: publication) : nil
            let stamps = listing.map { FileStamp.of($0.files, under: publication.postsDirectory.path) } ?? []
            let fingerprint = BuildFingerprint.compute(
                publication: publication, skipInvalid: options.skipInvalid, stamps: stamps, sections: listing?.branches ?? [],
                fetched: options.fetched)
            if isCurrent(previous, fingerprint: fingerprint, output: output) {
                report.upToDate = true
                report.postsLoaded = previous.postsLoaded
                report.postsPublished = previous.postsPublished
                report.feedsUnchanged = previous.feedCount
                report.seconds = clock.total
                return report
            }
            checked = fingerprint
            listed = listing.map { ($0, stamps) }
        }

        _ = clock.lap()
        // The files just stamped are scanned (the scan cache compares their stamps): one walk.
        let scan =
            listed.flatMap { listed in
                (source as? any ListedPostSource)?.scanMetas(listing: listed.listing, stamps: listed.stamps)
            } ?? source.scanMetas()
        // Whatever happens next, the scan cache is whole before the build returns.
        defer { scan.cacheWrite?.wait() }
        report.phases.scan = clock.lap().wall
        // Pages left out (a Hugo page without a date) are said at every build that reads them.
        report.warnings += scan.notes.map(\.description)
        let fingerprint =
            checked
            ?? BuildFingerprint.compute(
                publication: publication, skipInvalid: options.skipInvalid,
                stamps: scan.stamps, sections: scan.sections, fetched: options.fetched)
        // A vanished folder with --allow-shrink is an empty one, said in the report.
        var problems = scan.missingFolder && options.allowShrink ? [] : scan.problems
        if scan.missingFolder, !options.allowShrink, previous.map({ $0.postsPublished > 0 }) ?? false {
            throw .shrink(
                "\(inputName) does not exist, so the feeds would lose all "
                    + "\(previous!.postsPublished) entries")
        }
        if !problems.isEmpty, !options.skipInvalid { throw .invalidPosts(problems) }
        let published = scan.metas.filter { $0.isPublished(at: options.now) }
        if let before = previous?.postsPublished, !options.allowShrink, published.count * 2 < before {
            throw .shrink(
                published.isEmpty
                    ? "\(inputName) has no published post, so the feeds would lose all \(before) entries"
                    : "\(inputName) has \(published.count) published posts where the feeds hold \(before): more than half would go"
            )
        }
        let planner = FeedPlanner(publication: publication, published: published)
        report.warnings += planner.notes
        let folders = Set(planner.plans.map(\.directory) + (previous?.files ?? []).map { ($0 as NSString).deletingLastPathComponent })
        let feedNames = planner.plans.flatMap(\.files.all)
        output.removeLeftovers(
            in: folders, names: Set(feedNames + feedNames.map(SiteLayout.Name.feedPage) + [SiteLayout.Name.stylesheet]))
        let stylesheet = planner.context.folder + SiteLayout.Name.stylesheet

        // A feed whose memo is the last build's would come out byte for byte the same: its
        // files are left as they are, and none of its posts is rendered for it.
        let made = memos(for: planner.plans, scan: scan, racyFrom: racyFrom)
        var memos = made.memos
        let stamps = made.stamps
        let (unchanged, changed) = planner.plans.reduce(into: ([FeedPlan](), [FeedPlan]())) { split, plan in
            let key = Self.memoKey(plan)
            if let memo = memos[key], previous?.feeds?[key] == memo, output.allPresent(files(of: plan)),
                sharedFilesAsLeft(files(of: plan), by: previous, output: output)
            {
                split.0.append(plan)
            } else {
                split.1.append(plan)
            }
        }

        // Entries kept by earlier builds, for the posts whose stamps are known, read only when a
        // feed is built; none for a first build, which would pay for writing them (a cold
        // build of 10,000 posts, +5 %) whether or not it is ever built again.
        let entryCache =
            changed.isEmpty || previous == nil
            ? nil : stamps.map { FeedEntryCache.load(folder: options.stateDirectory, settings: $0.settings) }
        let keptEntry: (@Sendable (PostMeta) -> FeedEntryXML?)? = entryCache.map { cache in
            let byPost = stamps?.bySource ?? [:]
            return { @Sendable meta in byPost[meta.source].flatMap { cache.entry(for: meta, stamp: $0) } }
        }
        var fresh: [(entry: FeedEntryXML, meta: PostMeta, stamp: FileStamp)] = []
        var pending: [(file: AtomicFile, relative: String)] = []
        var unsettled: Set<String> = []
        do {
            for start in stride(from: 0, to: changed.count, by: Self.plansPerPass) {
                let plans = changed[start..<min(start + Self.plansPerPass, changed.count)]
                pending += try write(
                    Array(plans), published: published, context: planner.context,
                    problems: &problems, unsettled: &unsettled, renderSeconds: &report.phases.render,
                    kept: keptEntry,
                    fresh: { entry, meta in
                        // Only entries of posts whose stamps prove their bytes are kept.
                        if entryCache != nil, let stamp = stamps?.bySource[meta.source], stamp.readable,
                            stamp.latestNanoseconds < racyFrom
                        {
                            fresh.append((entry, meta, stamp))
                        }
                    })
            }
        } catch {
            throw .output(error)
        }
        // Written while the files are committed; whole before the build returns.
        let entryWrite = entryCache.map { cache in
            let live = Set(stamps?.bySource.keys.map { $0 } ?? [])
            let kept = fresh
            return Background { try? cache.save(kept, live: live) }
        }
        defer { entryWrite?.wait() }
        for plan in changed where plan.entries.contains(where: { unsettled.contains($0.source) }) {
            memos[Self.memoKey(plan)] = nil
        }
        report.phases.write = clock.lap().wall - report.phases.render
        if problems.count > scan.problems.count, !options.skipInvalid {
            pending.forEach { $0.file.discard() }
            throw .invalidPosts(problems)
        }

        var written: Set<String> = []
        let relativePaths = pending.map(\.relative)
        var recorded = relativePaths + unchanged.flatMap(files(of:))
        report.feedsUnchanged += unchanged.reduce(0) { $0 + $1.files.all.count }
        // The stylesheet first: no feed names it before it is there.
        // It is made from the settings alone: left as it is when the last build made it from the same ones.
        let stylesheetMemo = stamps.map { FeedMemo.stylesheet(settings: $0.settings) }
        memos[stylesheet] = stylesheetMemo
        if publication.feeds.stylesheet {
            if stylesheetMemo == nil || previous?.feeds?[stylesheet] != stylesheetMemo || !output.allPresent([stylesheet]) {
                let document: Data
                do { document = Data(try FeedStylesheet.document(for: publication).utf8) } catch {
                    pending.forEach { $0.file.discard() }
                    throw .stylesheet(error)
                }
                do {
                    if try AtomicFile.write(document, to: output.path(stylesheet)) == .written {
                        written.insert((output.path(stylesheet) as NSString).deletingLastPathComponent)
                    }
                } catch {
                    pending.forEach { $0.file.discard() }
                    throw .output(error)
                }
            }
            recorded.append(stylesheet)
        }
        // Files are committed on all cores at once: each commit mostly waits for its fsync,
        // and the disk takes several at a time.
        let outcomes = waitingMap(pending.map { Committing($0.file) }) { $0.commit() }
        let urls = Dictionary(
            planner.plans.flatMap { plan in plan.files.all.map { (plan.path($0), plan.fileURL($0)) } },
            uniquingKeysWith: { first, _ in first })
        for ((file, relative), outcome) in zip(pending, outcomes) {
            switch outcome {
            case .success(.written):
                // The report counts feeds; a feed's page is part of it.
                guard BuildRecord.isFeed(relative) else {
                    written.insert((file.destination as NSString).deletingLastPathComponent)
                    continue
                }
                report.feedsWritten += 1
                if let url = urls[relative] { report.changedFeeds.append(url.absoluteString) }
                written.insert((file.destination as NSString).deletingLastPathComponent)
            case .success(.unchanged):
                if BuildRecord.isFeed(relative) { report.feedsUnchanged += 1 }
            case .failure(let error):
                pending.forEach { $0.file.discard() }
                throw .output(error)
            }
        }
        report.changedFeeds.sort()
        _ = waitingMap(written.sorted()) { AtomicFile.syncFolder($0) }
        report.phases.commit = clock.lap().wall

        report.feedsRemoved = output.removeStale(previous: previous, current: Set(recorded)).filter(BuildRecord.isFeed).count
        // A file with several problems is still one post.
        report.postsLoaded = scan.metas.count + Set(scan.problems.map(\.path)).count
        report.postsPublished = published.count
        report.problems = problems.map(\.description)
        let shared = recorded.filter(BuildRecord.isShared)
        let record = BuildRecord(
            fingerprint: fingerprint, files: recorded.sorted(), postsLoaded: report.postsLoaded,
            postsPublished: published.count, problems: problems.count,
            rebuildAfter: Self.nextChange(scan.metas, published: published, now: options.now),
            shared: shared.isEmpty
                ? nil : Dictionary(shared.map { ($0, BuildRecord.stamp(output.path($0))) }, uniquingKeysWith: { a, _ in a }),
            feeds: memos.isEmpty ? nil : memos)
        // The record only lets the next build skip work: the feeds are complete without it
        // (a read-only state folder), and a build that finds none rebuilds them.
        do { try output.save(record) } catch {
            report.warnings.append("warning: \(error.description); the feeds are written, and the next build cannot tell it may skip them")
        }
        // Freeing 10,000 posts' metadata takes time that the caller, usually about to
        // exit, need not wait for: the last references go to a background thread.
        let metadata = (scan, published, planner.plans)
        DispatchQueue.global(qos: .utility).async { withExtendedLifetime(metadata) {} }
        report.seconds = clock.total
        return report
    }

    /// The memo of each feed that may be skipped by the next build, by its Atom file's path;
    /// none for posts that come from the network or from memory (no file stamps).
    /// Also the settings they were made with and the stamps of the posts the feeds carry, by
    /// source (nil, as the memos, without stamps), and whether those posts are few enough to
    /// keep their entries (`FeedEntryCache`).
    private func memos(for plans: [FeedPlan], scan: PostScan, racyFrom: Int64)
        -> (memos: [String: FeedMemo], stamps: (settings: String, bySource: [String: FileStamp])?)
    {
        guard options.fetched == nil, let listed = source as? any ListedPostSource, let stamps = scan.stamps else { return ([:], nil) }
        let settings = BuildFingerprint.compute(
            publication: publication, skipInvalid: options.skipInvalid, stamps: [], sections: scan.sections ?? [])
        // Only the stamps of posts the feeds carry, looked up by path: naming all 10,000
        // posts' stamps as their sources made a String of each.
        var wanted: [String: String] = [:]
        var seen: Set<ObjectIdentifier> = []
        for plan in plans {
            for meta in plan.entries + (plan.emptySince.map { [$0] } ?? []) where seen.insert(ObjectIdentifier(meta)).inserted {
                wanted[listed.filePath(meta.source)] = meta.source
            }
        }
        var bySource: [String: FileStamp] = [:]
        bySource.reserveCapacity(wanted.count)
        for stamp in stamps {
            if let source = wanted[stamp.path], bySource[source] == nil { bySource[source] = stamp }
        }
        var memos: [String: FeedMemo] = [:]
        for plan in plans {
            memos[Self.memoKey(plan)] = FeedMemo.make(plan, settings: settings, stamps: bySource, racyFrom: racyFrom)
        }
        return (memos, bySource.count <= FeedEntryCache.maxPosts ? (settings, bySource) : nil)
    }

    /// Where a feed's memo is kept: the path of its Atom file, or of its RSS where it has none (Hugo's `index.xml`).
    private static func memoKey(_ plan: FeedPlan) -> String { plan.path(plan.files.atom ?? plan.files.rss) }

    /// Whether the files another program also writes (Hugo's `index.xml`) are as the last build left them:
    /// a feed whose file Hugo has since overwritten is written again even when its memo matches.
    private func sharedFilesAsLeft(_ files: [String], by previous: BuildRecord?, output: OutputSet) -> Bool {
        files.filter(BuildRecord.isShared).allSatisfy { file in
            previous?.shared?[file].map { $0 == BuildRecord.stamp(output.path(file)) } ?? false
        }
    }

    /// A feed's files relative to the output folder: its formats, and their pages when feeds are shown as pages.
    private func files(of plan: FeedPlan) -> [String] {
        let names = plan.files.all
        return names.map(plan.path)
            + (publication.feeds.stylesheet && plan.files.pages ? names.map { plan.path(SiteLayout.Name.feedPage(of: $0)) } : [])
    }

    /// What the shrink refusals name: the posts folder, or the feed the posts come from.
    private var inputName: String { options.fetched?.name ?? publication.postsDirectory.path }

    /// The first moment a post comes due or expires: the feeds change then without any file changing.
    private static func nextChange(_ metas: [PostMeta], published: [PostMeta], now: Date) -> Double? {
        let due = metas.lazy.compactMap { $0.publishedFrom(now: now) }.min()
        let expiring = published.lazy.compactMap(\.expiryDate).min()
        return [due, expiring].compactMap { $0?.timeIntervalSince1970 }.min()
    }

    /// The last build read the same inputs, produced feeds that are all still there, was
    /// clean (a report of skipped posts is worth printing again), and no scheduled post
    /// has come due since.
    private func isCurrent(_ record: BuildRecord, fingerprint: String, output: OutputSet) -> Bool {
        record.fingerprint == fingerprint && record.problems == 0
            && (record.rebuildAfter.map { options.now.timeIntervalSince1970 < $0 } ?? true)
            && output.allPresent(record.files)
            && (record.shared ?? [:]).allSatisfy { BuildRecord.stamp(output.path($0.key)) == $0.value }
    }

    /// Writes the Atom, RSS and JSON Feed files of `plans` to temporary files in one pass over their
    /// posts, newest first; returns them with their paths relative to the output folder.
    private func write(
        _ plans: [FeedPlan], published: [PostMeta], context: FeedContext,
        problems: inout [SourceProblem], unsettled: inout Set<String>, renderSeconds: inout Double,
        kept: (@Sendable (PostMeta) -> FeedEntryXML?)?, fresh: (FeedEntryXML, PostMeta) -> Void
    ) throws(FileError) -> [(file: AtomicFile, relative: String)] {
        var files: [(file: AtomicFile, relative: String)] = []
        var atoms: [AtomWriter?] = []
        var rsses: [RSSWriter] = []
        var jsons: [JSONFeedWriter?] = []
        // Each feed's HTML page, when the feeds are shown as pages (`feeds.stylesheet`).
        var pages: [[FeedPageWriter]] = []
        // Which of these plans each post belongs to, by source path.
        var members: [String: [Int]] = [:]
        for (i, plan) in plans.enumerated() {
            if let atom = plan.files.atom {
                let atomFile = try AtomicFile(options.output.appendingPathComponent(plan.path(atom)).path)
                files.append((atomFile, plan.path(atom)))
                atoms.append(
                    AtomWriter(
                        xml: try XMLWriter(fileDescriptor: atomFile.descriptor, path: atomFile.destination),
                        plan: plan, context: context))
                atoms[i]?.begin()
            } else {
                atoms.append(nil)
            }
            let rssFile = try AtomicFile(options.output.appendingPathComponent(plan.path(plan.files.rss)).path)
            files.append((rssFile, plan.path(plan.files.rss)))
            rsses.append(
                RSSWriter(
                    xml: try XMLWriter(fileDescriptor: rssFile.descriptor, path: rssFile.destination),
                    plan: plan, context: context))
            rsses[i].begin()
            if let json = plan.files.json {
                let jsonFile = try AtomicFile(options.output.appendingPathComponent(plan.path(json)).path)
                files.append((jsonFile, plan.path(json)))
                jsons.append(
                    JSONFeedWriter(
                        fileDescriptor: jsonFile.descriptor, path: jsonFile.destination,
                        plan: plan, context: context))
                jsons[i]?.begin()
            } else {
                jsons.append(nil)
            }
            pages.append([])
            if context.publication.feeds.stylesheet, plan.files.pages {
                for name in plan.files.all {
                    let relative = plan.path(SiteLayout.Name.feedPage(of: name))
                    let pageFile = try AtomicFile(options.output.appendingPathComponent(relative).path)
                    files.append((pageFile, relative))
                    pages[i].append(
                        FeedPageWriter(
                            fileDescriptor: pageFile.descriptor, path: pageFile.destination, plan: plan, feed: name,
                            context: context))
                }
            }
            for meta in plan.entries { members[meta.source, default: []].append(i) }
        }

        let needed = published.filter { members[$0.source] != nil }
        // Two lanes for two cores: Atom and the pages on one; RSS and the JSON Feed (a plain
        // copy) on the other.
        let lanes = [
            Lane(plans.indices.map { i -> [any FeedEntryWriter] in (atoms[i].map { [$0] } ?? []) + pages[i] }),
            Lane(plans.indices.map { [rsses[$0]] + (jsons[$0].map { [$0] } ?? []) }),
        ]
        let membership = members
        let chunks = stride(from: 0, to: needed.count, by: Self.chunkSize).map {
            Array(needed[$0..<min($0 + Self.chunkSize, needed.count)])
        }
        // A pipeline: chunks N+1 and N+2 are rendered, and their entries written, on
        // threads of their own while the writers copy chunk N into the files, so neither
        // side waits for the other to finish a chunk before starting. Two ahead, not one:
        // a chunk of long posts then does not leave the writers idle.
        var ahead = chunks.prefix(Self.chunksAhead).map { RenderJob(source: source, metas: $0, context: context, kept: kept) }
        for index in chunks.indices {
            var renderClock = Stopwatch()
            let (entries, chunkProblems, chunkUnsettled, made) = ahead.removeFirst().result()
            unsettled.formUnion(chunkUnsettled)
            made.forEach { fresh($0.entry, $0.meta) }
            renderSeconds += renderClock.lap().wall
            if index + Self.chunksAhead < chunks.count {
                ahead.append(RenderJob(source: source, metas: chunks[index + Self.chunksAhead], context: context, kept: kept))
            }
            problems += chunkProblems
            DispatchQueue.concurrentPerform(iterations: lanes.count) { lane in
                for entry in entries {
                    for i in membership[entry.source] ?? [] { lanes[lane].writers[i].forEach { $0.entry(entry) } }
                }
            }
        }

        for i in plans.indices {
            try atoms[i]?.finish()
            try rsses[i].finish()
            try jsons[i]?.finish()
            for page in pages[i] { try page.finish() }
        }
        files.forEach { $0.file.seal() }
        return files
    }

}

/// Writers that take entries one post at a time.
protocol FeedEntryWriter: AnyObject {
    func entry(_ entry: FeedEntryXML)
}

extension AtomWriter: FeedEntryWriter {}
extension RSSWriter: FeedEntryWriter {}
extension JSONFeedWriter: FeedEntryWriter {}
extension FeedPageWriter: FeedEntryWriter {}

/// The writers one thread uses during a chunk. `@unchecked Sendable` because
/// `concurrentPerform` gives each lane to exactly one thread and lanes share no writer.
private final class Lane: @unchecked Sendable {
    /// By plan, the writers this lane feeds for it.
    let writers: [[any FeedEntryWriter]]
    init(_ writers: [[any FeedEntryWriter]]) { self.writers = writers }
}

/// One chunk of posts rendered and made into feed entries (their XML written once, for
/// all feeds) on a thread of its own, or their entries taken from `kept`; `result()` waits for it.
private final class RenderJob: Sendable {
    typealias Output = (
        entries: [FeedEntryXML], problems: [SourceProblem], unsettled: [String],
        made: [(entry: FeedEntryXML, meta: PostMeta)]
    )
    private let work: Background<Output>

    /// `kept`: an entry made earlier for a post, if any (`FeedEntryCache`); `made` then lists
    /// the entries made here that may be kept: of posts that read no other file.
    init<Source: PostSource>(
        source: Source, metas: [PostMeta], context: FeedContext, kept: (@Sendable (PostMeta) -> FeedEntryXML?)?
    ) {
        work = Background {
            let found = kept.map { kept in metas.map(kept) } ?? Array(repeating: nil, count: metas.count)
            let missing = metas.indices.filter { found[$0] == nil }.map { metas[$0] }
            let rendered = source.renderForFeeds(missing)
            let made = parallelMap(rendered.posts) { FeedEntryXML(FeedEntry($0, context: context), context: context) }
            // In the metas' order, as rendering alone gave them: a post that failed has none.
            var entries: [FeedEntryXML] = []
            entries.reserveCapacity(metas.count)
            var next = 0
            for (meta, entry) in zip(metas, found) {
                if let entry {
                    entries.append(entry)
                } else if next < made.count, made[next].source == meta.source {
                    entries.append(made[next])
                    next += 1
                }
            }
            return (
                entries, rendered.problems, RenderJob.unsettled(missing, rendered: rendered.posts),
                zip(made, rendered.posts).filter { !$1.readsOtherFiles && !$0.atom.failed && !$0.rss.failed }.map {
                    (entry: $0, meta: $1.meta)
                }
            )
        }
    }

    /// The posts whose feeds get no memo: those that failed to render, and those that read other files.
    private static func unsettled(_ metas: [PostMeta], rendered: [Post]) -> [String] {
        let settled = Set(rendered.lazy.filter { !$0.readsOtherFiles }.map(\.meta.source))
        return metas.map(\.source).filter { !settled.contains($0) }
    }

    func result() -> Output { work.value }
}

/// One file handed to one commit thread. `@unchecked Sendable` because `parallelMap`
/// gives each element to exactly one thread, and the builder touches the file again
/// only after all commits are done.
private struct Committing: @unchecked Sendable {
    let file: AtomicFile
    init(_ file: AtomicFile) { self.file = file }
    func commit() -> Result<AtomicFile.Outcome, FileError> {
        Result { () throws(FileError) in try file.commit() }
    }
}
