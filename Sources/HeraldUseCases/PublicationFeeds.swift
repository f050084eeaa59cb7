import Foundation
import HeraldBase
import HeraldConfig
import HeraldContent
import HeraldFeeds
import HeraldState

/// Which posts a publication's feeds are written from: its posts folder, or another
/// site's feed when herald.yml asks to republish it (`source:` with `feeds:`).
enum PublicationFeeds {
    /// Whether `build` writes anything: a publication fed by another site's feed has no
    /// feeds of its own unless `feeds:` asks for them (the site publishes its own).
    static func areBuilt(for publication: Publication) -> Bool {
        publication.source == nil || publication.feeds.declared
    }

    /// Writes the feeds. A source feed is fetched (a conditional GET; a 304 reads the answer
    /// kept in state) and read before anything is written: one that cannot be fetched or
    /// read leaves the feeds of the last build as they were.
    static func build(_ publication: Publication, options: FeedBuilder<PostLoader>.Options) throws(Failure) -> BuildReport {
        guard let feedSource = FeedSourcePosts(publication: publication) else {
            return try run(
                FeedBuilder(
                    publication: publication, source: PostLoader(publication: publication, cacheFolder: options.stateDirectory),
                    options: options))
        }
        let loaded: FeedSourcePosts.Loaded
        do {
            let store = try PublicationStore.open(publication: publication, directory: options.stateDirectory)
            // Kept as a send keeps it: the next build or send asks "changed since?", and an
            // entry without a date keeps the date it was first seen.
            loaded = try feedSource.load(state: store.feedSource, now: options.now, record: true)
        } catch {
            throw Failure((error as? any ExitStatusError)?.exitStatus ?? .software, "\(publication.name): source: \(error)")
        }
        return try run(
            FeedBuilder(
                publication: publication, source: FeedSourceEntries(loaded: loaded),
                options: .init(
                    output: options.output, stateDirectory: options.stateDirectory, skipInvalid: options.skipInvalid,
                    allowShrink: options.allowShrink, now: options.now,
                    fetched: FetchedInput(name: feedSource.settings.url, bytes: loaded.body))))
    }

    private static func run<Source: PostSource>(_ builder: FeedBuilder<Source>) throws(Failure) -> BuildReport {
        do { return try builder.build() } catch { throw Failure(error.exitStatus, error.description) }
    }
}
