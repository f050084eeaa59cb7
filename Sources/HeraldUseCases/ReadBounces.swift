import Foundation
import HeraldBase
import HeraldConfig
import HeraldMail
import HeraldState

/// `herald bounces`: delivery status notifications and abuse reports, read from a Maildir
/// or one message from standard input, applied to the subscribers and journaled.
public struct ReadBounces: Sendable {
    let reader: BounceReportReader
    let journal: any BounceStorage
    let rules: BounceJournal.Rules

    public init(publication: Publication, stateDirectory: URL) throws {
        reader = BounceReportReader(bounceAddress: publication.digest.bounceAddress)
        journal = try PublicationStore.open(publication: publication, directory: stateDirectory).bounces
        rules = .init(softLimit: publication.digest.softBounceLimit, softDays: publication.digest.softBounceDays)
    }

    /// One message: its outcome, or why it is not a report Herald acts on (nothing changed).
    public func read(_ bytes: [UInt8], now: Date = Date()) throws -> Result<BounceJournal.Outcome, UnreadableReport> {
        let report: BounceReport
        do { report = try reader.read(bytes) } catch { return .failure(error) }
        return .success(try journal.apply(report, rules: rules, now: now))
    }

    /// `herald bounces -`: one message from standard input, as the line the command prints;
    /// mail that is not a report is a data error (65).
    public func readOne(_ bytes: [UInt8], from source: String = "stdin", now: Date = Date()) throws -> String {
        switch try read(bytes, now: now) {
        case .success(let outcome): return Self.line(outcome, from: source)
        case .failure(let problem): throw Failure(.dataError, "\(source): \(ControlEscaping.escaped(problem.reason))")
        }
    }

    /// `herald bounces --maildir DIR`: a line for each report read (stdout), and one for each
    /// message left in place (stderr; listed on every run until a human moves it, not a failure).
    public func readMaildir(_ directory: URL, now: Date = Date()) throws -> (read: [String], leftInPlace: [String]) {
        let result = try read(maildir: try MaildirInbox(directory: directory), now: now)
        return (
            result.read.map { Self.line($0.outcome, from: $0.file) },
            result.leftInPlace.map { "\($0.file): left in place: \(ControlEscaping.escaped($0.reason))" }
        )
    }

    /// `stdin: bounced ana@example.org: hard bounce 5.1.1`
    static func line(_ outcome: BounceJournal.Outcome, from source: String) -> String {
        let decision = outcome.decision?.rawValue ?? "unchanged"
        let who = outcome.address.map { " \($0)" } ?? ""
        return "\(source): \(decision)\(who): \(ControlEscaping.escaped(outcome.reason))"
    }

    public struct MaildirResult: Sendable {
        public var read: [(file: String, outcome: BounceJournal.Outcome)] = []
        public var leftInPlace: [(file: String, reason: String)] = []
    }

    /// Every unread message of the Maildir: reports are applied and marked read, other mail
    /// is left unread where it is, and so is an entry that is not a regular file of at most
    /// `MaildirInbox.maximumReportBytes` (a warning each run, never a failed run). Each report is journaled before it is moved, so a crash
    /// between the two only makes the next run find it already read.
    public func read(maildir: MaildirInbox, now: Date = Date()) throws -> MaildirResult {
        var result = MaildirResult()
        for file in try maildir.unread() {
            let bytes: [UInt8]
            do { bytes = try maildir.contents(of: file) } catch {
                result.leftInPlace.append((file.path, error.reason))
                continue
            }
            switch try read(bytes, now: now) {
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
