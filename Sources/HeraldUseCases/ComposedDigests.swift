import Foundation
import HeraldBase
import HeraldConfig
import HeraldContent
import HeraldDigest
import HeraldMail
import HeraldState

/// Digests from the publication's posts, rendered by the digest composer and, with
/// `dkim:` set, signed.
public struct ComposedDigests: DigestSource {
    let publication: Publication
    let environment: [String: String]
    /// Where a publication fed by another site's feed keeps what it saw (nil: the default folder).
    let stateDirectory: URL

    public init(
        publication: Publication, stateDirectory: URL? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.publication = publication
        self.environment = environment
        self.stateDirectory = stateDirectory ?? StateDatabase.defaultDirectory(for: publication, environment: environment)
    }

    struct Problem: Error, CustomStringConvertible { let description: String }

    public func next(after last: DigestRecord?, number: Int, now: Date) throws -> PreparedDigest? {
        // Templates, labels and dates are made on another thread while the posts are read.
        let prepared = DigestPreparation(publication: publication)
        if let feedSource = FeedSourcePosts(publication: publication) {
            let store = try PublicationStore.open(publication: publication, directory: stateDirectory, environment: environment)
            let loaded = try feedSource.load(state: store.feedSource, now: now, record: true)
            let sent = Set(try store.digestHistory.digests().flatMap(\.postIDs))
            let metas = DigestSelection.selectEntries(
                loaded.metas, id: \.source, firstSeen: loaded.firstSeen, sent: sent, after: last, now: now,
                settings: publication.digest)
            guard !metas.isEmpty else { return nil }
            let posts = loaded.posts(withIDs: metas.map(\.source))
            // The whole feed's entries and facts are not needed past here: freed on another thread.
            releaseInBackground(consume loaded)
            return try prepare(posts, number: number, date: now, prepared: prepared)
        }
        let loader = PostLoader(publication: publication)
        let scan = loader.scan()
        try refuse(scan.problems)
        let metas = DigestSelection.select(scan.metas, after: last, now: now, settings: publication.digest)
        guard !metas.isEmpty else { return nil }
        return try prepare(metas, loader: loader, number: number, date: now, prepared: prepared)
    }

    public func resume(_ record: DigestRecord) throws -> PreparedDigest {
        let prepared = DigestPreparation(publication: publication)
        if let feedSource = FeedSourcePosts(publication: publication) {
            let store = try PublicationStore.open(publication: publication, directory: stateDirectory, environment: environment)
            let loaded = try feedSource.load(state: store.feedSource, now: Date(), record: true, cachedOnFailure: true)
            let posts = loaded.posts(withIDs: record.postIDs)
            let found = Set(posts.map(\.source))
            let missing = record.postIDs.filter { !found.contains($0) }
            guard missing.isEmpty else {
                throw Problem(
                    description:
                        "digest #\(record.number) is unfinished but its entries are gone from \(feedSource.settings.url): \(missing.joined(separator: ", "))"
                )
            }
            return try prepare(posts, number: record.number, date: record.createdAt, prepared: prepared)
        }
        let loader = PostLoader(publication: publication)
        let scan = loader.scan()
        let byID = Dictionary(scan.metas.map { ($0.permalink.absoluteString, $0) }, uniquingKeysWith: { a, _ in a })
        let missing = record.postIDs.filter { byID[$0] == nil }
        guard missing.isEmpty else {
            throw Problem(
                description:
                    "digest #\(record.number) is unfinished but its posts are gone: \(missing.joined(separator: ", ")); restore them to finish sending it"
            )
        }
        return try prepare(
            record.postIDs.compactMap { byID[$0] }, loader: loader, number: record.number, date: record.createdAt, prepared: prepared)
    }

    private func prepare(
        _ metas: [PostMeta], loader: PostLoader, number: Int, date: Date, prepared: DigestPreparation
    ) throws -> PreparedDigest {
        let (posts, problems) = loader.render(metas)
        try refuse(problems)
        return try prepare(posts, number: number, date: date, prepared: prepared)
    }

    /// A folder's posts are known by permalink; a feed's entries by their id.
    private func prepare(_ posts: [Post], number: Int, date: Date, prepared: DigestPreparation) throws -> PreparedDigest {
        let composer = try DigestComposer(
            publication: publication, posts: posts, number: number, date: date, prepared: prepared)
        let ids = publication.source == nil ? posts.map(\.permalink.absoluteString) : posts.map(\.source)
        let record = DigestRecord(
            number: number, postIDs: ids, subject: composer.subject,
            createdAt: date, newestPostDate: posts.map(\.date).max() ?? date)
        let archive = DigestArchive(page: composer.archivePage()) { digests in composer.archiveIndex(digests) }
        guard let dkim = publication.dkim else {
            return PreparedDigest(record: record, archive: archive) { subscriber in composer.message(for: subscriber) }
        }
        let signer = DKIMSigner(
            settings: dkim,
            key: try DKIMKey.load(
                for: dkim, baseDirectory: publication.directory,
                environment: environment))
        return PreparedDigest(record: record, archive: archive) { subscriber in
            let message = composer.message(for: subscriber)
            return OutgoingMessage(
                envelopeFrom: message.envelopeFrom, envelopeTo: message.envelopeTo,
                messageID: message.messageID, bytes: try signer.sign(message.bytes))
        }
    }

    private func refuse(_ problems: [SourceProblem]) throws {
        guard problems.isEmpty else { throw Problem(description: problems.map(\.description).joined(separator: "\n")) }
    }
}
