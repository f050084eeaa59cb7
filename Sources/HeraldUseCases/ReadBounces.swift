import Foundation
import HeraldBase
import HeraldConfig
import HeraldMail
import HeraldState

/// `herald bounces`: delivery status notifications and abuse reports, read from a Maildir
/// or one message from standard input, applied to the subscribers and journaled.
public struct ReadBounces: Sendable {
    let reader: BounceReportReader
    let journal: BounceJournal
    let rules: BounceJournal.Rules

    public init(publication: Publication, database: StateDatabase) {
        reader = BounceReportReader(bounceAddress: publication.digest.bounceAddress)
        journal = BounceJournal(database: database)
        rules = .init(softLimit: publication.digest.softBounceLimit, softDays: publication.digest.softBounceDays)
    }

    /// One message: its outcome, or why it is not a report Herald acts on (nothing changed).
    public func read(_ bytes: [UInt8], now: Date = Date()) throws -> Result<BounceJournal.Outcome, UnreadableReport> {
        let report: BounceReport
        do { report = try reader.read(bytes) } catch { return .failure(error) }
        return .success(try journal.apply(report, rules: rules, now: now))
    }

    public struct MaildirResult: Sendable {
        public var read: [(file: String, outcome: BounceJournal.Outcome)] = []
        public var leftInPlace: [(file: String, reason: String)] = []
    }

    /// Every unread message of the Maildir: reports are applied and marked read, other mail
    /// is left unread where it is. Each report is journaled before it is moved, so a crash
    /// between the two only makes the next run find it already read.
    public func read(maildir: MaildirInbox, now: Date = Date()) throws -> MaildirResult {
        var result = MaildirResult()
        for file in try maildir.unread() {
            switch try read(try maildir.contents(of: file), now: now) {
            case .success(let outcome):
                try maildir.markRead(file)
                result.read.append((file.path, outcome))
            case .failure(let problem):
                result.leftInPlace.append((file.path, problem.reason))
            }
        }
        return result
    }
}
