import Foundation
import HeraldMail
import HeraldState

/// A digest ready to journal or resume: its record and how to render it per subscriber.
public struct PreparedDigest: Sendable {
    public let record: DigestRecord
    public let render: DigestSender.Render
    /// Its web page for the archive; nil for sources that have none (tests).
    public let archive: DigestArchive?

    public init(record: DigestRecord, archive: DigestArchive? = nil, render: @escaping DigestSender.Render) {
        self.record = record
        self.archive = archive
        self.render = render
    }
}

/// A digest as web pages: its own (no subscriber data in it) and the archive's index,
/// which lists every digest the journal holds.
public struct DigestArchive: Sendable {
    public let page: String
    public let index: @Sendable (_ digests: [DigestRecord]) -> String

    public init(page: String, index: @escaping @Sendable (_ digests: [DigestRecord]) -> String) {
        self.page = page
        self.index = index
    }
}

/// Where `SendRun` gets digests from. `herald send` reads posts and uses the
/// digest composer; tests hand-build messages. Errors thrown here are content
/// problems (exit 65) and should say which file to fix.
public protocol DigestSource: Sendable {
    /// The digest after `last`, numbered `number`, or nil when no post is new.
    func next(after last: DigestRecord?, number: Int, now: Date) throws -> PreparedDigest?
    /// The same digest again, to finish an interrupted send (posts looked up by `record.postIDs`).
    func resume(_ record: DigestRecord) throws -> PreparedDigest
}
