import Foundation
import HeraldBase
import HeraldConfig
import HeraldContent
import HeraldMail
import HeraldState
import Logging

/// One `herald send`: take the lock, settle what a crashed run left behind,
/// finish an unfinished digest, then journal and send the next one.
public struct SendRun {
    public struct Options {
        public var resendUncertain = false
        /// `--dry-run --out DIR`: render into a Maildir; the journal is not touched.
        public var dryRunMaildir: URL?
        /// The published site: each digest sent gets its archive page there.
        public var site: SiteLayout?
        public var now = Date()
        public var environment = ProcessInfo.processInfo.environment
        /// Asked before a new digest is created (never before resuming one): a reason
        /// to hold it back, e.g. "not due before Fri 15:00", or nil to go ahead.
        /// `herald run` passes the schedule here; `herald send` always goes ahead.
        public var holdNewDigest: @Sendable (_ last: DigestRecord?, _ now: Date) -> String? = { _, _ in nil }
        public init() {}
    }

    public struct Summary: Sendable {
        public var status: ExitStatus = .ok
        public var digests: [(number: Int, counts: HeraldMail.Progress.Counts)] = []
        /// Rows found `sending` at start (a previous run died) and now `uncertain`.
        public var newlyUncertain = 0
        /// What to tell the operator last, e.g. why the run stopped.
        public var message: String?
    }

    let publication: Publication
    let stateDirectory: URL
    let source: any DigestSource
    let logger: Logger
    let options: Options
    /// Called with each digest's sender, so the command can show progress.
    let display: (DigestSender) -> DigestSender.Report

    public init(
        publication: Publication, stateDirectory: URL, source: any DigestSource, logger: Logger,
        options: Options, display: @escaping (DigestSender) -> DigestSender.Report = { $0.run() }
    ) {
        self.publication = publication
        self.stateDirectory = stateDirectory
        self.source = source
        self.logger = logger
        self.options = options
        self.display = display
    }

    public func run() -> Summary {
        var summary = Summary()
        func fail(_ status: ExitStatus, _ message: String) -> Summary {
            summary.status = status
            summary.message = message
            return summary
        }
        // The lock keeps a second sender off a SQLite journal, which has one sender's leftovers
        // to settle at start. Senders sharing a PostgreSQL journal are kept apart by their claims.
        let lock: SendLock?
        let locking = options.dryRunMaildir == nil && !DeliveryLedgers.sharedBySenders(publication)
        do { lock = locking ? try SendLock(directory: stateDirectory) : nil } catch {
            if case .held = error { return fail(.tempFail, error.description) }
            return fail(.cantCreate, error.description)
        }
        defer { withExtendedLifetime(lock) {} }
        let journal: any DeliveryLedger
        do {
            journal = try DeliveryLedgers.open(publication: publication, directory: stateDirectory, environment: options.environment)
        } catch {
            // A SQLite folder that cannot be created is 73; a database server's own statuses say more.
            let status = (error as? PostgresStateError)?.exitStatus ?? (error as? PostgresLedger.LeaseSetting)?.exitStatus
            return fail(status ?? .cantCreate, "\(error)")
        }
        // SMTP settings and credentials are checked before a digest is journaled, so a
        // typo in herald.yml does not leave a digest waiting with nobody able to send it.
        if options.dryRunMaildir == nil {
            do { _ = try publication.smtp.connectionOptions(environment: options.environment, baseDirectory: publication.directory) } catch
            {
                return fail(.config, error.description)
            }
        }
        do {
            if let out = options.dryRunMaildir {
                return try dryRun(journal: journal, out: out, summary: summary)
            }
            summary.newlyUncertain = try settleLeftovers(journal)
        } catch {
            return fail(.ioError, "state database error: \(error)")
        }

        // An unfinished digest first: its subscribers are owed it before anything newer.
        var prepared: PreparedDigest
        do {
            if let unfinished = try journal.unfinishedDigest() {
                logger.notice("resuming digest #\(unfinished.number)")
                prepared = try content { try source.resume(unfinished) }
                writeArchive(prepared, journal: journal)
                let outcome = send(prepared, journal: journal, summary: &summary)
                if outcome.status != .ok { return outcome }
            }
            // A digest with nobody to send it to would still use up its posts.
            guard try journal.activeSubscriberCount() > 0 else {
                if summary.digests.isEmpty { summary.message = "nothing to send: no active subscriber" }
                return summary
            }
            let number = try journal.nextDigestNumber()
            let last = try journal.lastSentDigest()
            if let reason = options.holdNewDigest(last, options.now) {
                if summary.digests.isEmpty { summary.message = "nothing to send: \(reason)" }
                return summary
            }
            guard let next = try content({ try source.next(after: last, number: number, now: options.now) }) else {
                if summary.digests.isEmpty { summary.message = "nothing to send: no post since the last digest" }
                return summary
            }
            prepared = next
        } catch let error as ContentFailure {
            return fail(error.status, error.message)
        } catch {
            return fail(.ioError, "state database error: \(error)")
        }
        do {
            switch try journal.createOrJoin(prepared.record) {
            case .created(let count):
                logger.notice("digest #\(prepared.record.number) journaled for \(count) subscribers: \(prepared.record.subject)")
            case .joined:
                // Another sender journaled this number first: send its digest, not this one's
                // reading of the posts, which may differ.
                let number = prepared.record.number
                guard let record = try journal.digests().first(where: { $0.number == number }) else {
                    return fail(.ioError, "state database error: digest #\(number) was journaled by another sender and is gone")
                }
                logger.notice("joining digest #\(number), journaled by another sender")
                prepared = try content { try source.resume(record) }
            }
        } catch let error as ContentFailure {
            return fail(error.status, error.message)
        } catch {
            return fail(.ioError, "state database error: \(error)")
        }
        writeArchive(prepared, journal: journal)
        return send(prepared, journal: journal, summary: &summary)
    }

    /// The digest's page and the index, before the first message links to them. A failure
    /// is logged, not fatal: the mail matters more than its web copy, and the next run rewrites both.
    private func writeArchive(_ prepared: PreparedDigest, journal: any DeliveryLedger) {
        guard let site = options.site, let archive = prepared.archive else { return }
        let page = site.archivePageFile(prepared.record.number)
        do {
            try FileManager.default.createDirectory(at: page.deletingLastPathComponent(), withIntermediateDirectories: true)
            _ = try AtomicFile.write(Data(archive.page.utf8), to: page.path)
            // A templates folder of its own may have no archive.html: then there is no index.
            let index = archive.index(try journal.digests())
            if !index.isEmpty { _ = try AtomicFile.write(Data(index.utf8), to: site.archiveIndexFile.path) }
        } catch {
            logger.warning("archive page \(page.path) not written: \(error)")
        }
    }

    /// What earlier runs left: rows a crash left `sending` become `uncertain` (or
    /// `pending` again with `--resend-uncertain`), and deliveries failing temporarily for
    /// longer than `smtp.give_up_after_days` are given up. Returns the new uncertain count.
    private func settleLeftovers(_ journal: any DeliveryLedger) throws -> Int {
        let uncertain = try journal.markInterruptedUncertain(now: options.now)
        if uncertain > 0 {
            logger.warning(
                "\(uncertain) deliveries were interrupted while sending and are now uncertain (not resent; see herald status, or use --resend-uncertain)"
            )
        }
        if options.resendUncertain {
            let n = try journal.resendUncertain(now: options.now)
            if n > 0 { logger.notice("\(n) uncertain deliveries will be sent again") }
        }
        let cutoff = options.now.addingTimeInterval(-Double(publication.smtp.giveUpDays) * 86_400)
        let gaveUp = try journal.giveUp(createdBefore: cutoff, now: options.now)
        if gaveUp > 0 { logger.warning("gave up \(gaveUp) deliveries still failing temporarily after \(publication.smtp.giveUpDays) days") }
        return uncertain
    }

    private func send(_ prepared: PreparedDigest, journal: any DeliveryLedger, summary: inout Summary) -> Summary {
        let sender: DigestSender
        do {
            sender = try DigestSender(
                journal: journal, digest: prepared.record.number, smtp: publication.smtp,
                baseDirectory: publication.directory, environment: options.environment,
                logger: logger, render: prepared.render)
        } catch {
            summary.status = .config
            summary.message = error.description
            return summary
        }
        let report = display(sender)
        let number = prepared.record.number
        summary.digests.append((number, shareOf(report.counts, digest: number, journal: journal)))
        if report.counts.uncertain > 0 {
            logger.warning(
                "\(report.counts.uncertain) deliveries of digest #\(number) got no answer to the end of the message and are uncertain: the server may have them, so they are not resent (herald status lists them; --resend-uncertain sends them again)"
            )
        }
        if let stop = report.stop {
            summary.message = stop.description
            summary.status = stop.exitStatus
            return summary
        }
        if report.counts.deferred > 0 {
            summary.status = .tempFail
            summary.message =
                "\(report.counts.deferred) deliveries of digest #\(number) failed temporarily and stay pending; the next run retries them"
        }
        // Mail stuck for longer than the operator tolerates is a failure, not a quiet
        // "try again next time" (which the unit's SuccessExitStatus=75 would hide).
        let minutes = publication.smtp.alertPendingAfterMinutes
        do {
            let stuck = try journal.pendingCount(createdBefore: Date().addingTimeInterval(-Double(minutes) * 60))
            if stuck > 0 {
                summary.status = .unavailable
                summary.message =
                    "\(stuck) deliveries have been pending for more than \(minutes) minutes (smtp.alert_pending_after_minutes): herald status shows their last replies"
            }
        } catch {
            summary.status = .ioError
            summary.message = "state database error: \(error)"
        }
        return summary
    }

    /// Where several senders share the digest, this one's counts are its share: the total is
    /// what it settled plus what the digest still owes, not the list it started with.
    private func shareOf(_ counts: HeraldMail.Progress.Counts, digest: Int, journal: any DeliveryLedger) -> HeraldMail.Progress.Counts {
        guard DeliveryLedgers.sharedBySenders(publication), let left = try? journal.counts(digest: digest)[.pending] else { return counts }
        var share = counts
        share.total =
            counts.sent + counts.failed + counts.uncertain + counts.skippedUnsubscribed + counts.skippedBounced
            + max(left, counts.deferred)
        return share
    }

    private func dryRun(journal: any DeliveryLedger, out: URL, summary: Summary) throws -> Summary {
        var summary = summary
        let prepared: PreparedDigest
        let subscribers: [Subscriber]
        do {
            if let unfinished = try journal.unfinishedDigest() {
                prepared = try source.resume(unfinished)
                subscribers = try journal.pendingSubscribers(digest: unfinished.number)
            } else {
                let number = try journal.nextDigestNumber()
                guard let next = try source.next(after: try journal.lastSentDigest(), number: number, now: options.now) else {
                    summary.message = "nothing to send: no post since the last digest"
                    return summary
                }
                prepared = next
                subscribers = try journal.activeSubscribers()
            }
        } catch {
            summary.status = .dataError
            summary.message = "\(error)"
            return summary
        }
        let maildir = try MaildirWriter(root: out)
        for subscriber in subscribers {
            do { try maildir.deliver(try prepared.render(subscriber)) } catch {
                summary.status = .dataError
                summary.message = "cannot render the message for \(subscriber.address): \(error)"
                return summary
            }
        }
        var counts = HeraldMail.Progress.Counts()
        counts.total = subscribers.count
        summary.digests.append((prepared.record.number, counts))
        summary.message =
            "dry run: digest #\(prepared.record.number) (\(prepared.record.subject)) rendered for \(subscribers.count) subscribers into \(out.path)/new"
        return summary
    }
}

/// A content problem from the digest source (exit 65), told apart from database errors (exit 74).
/// A digest that cannot be made: bad posts (65), or a setting or secret it needs (78, as
/// the error itself says), told apart from the state database's own failures.
private typealias ContentFailure = Failure

private func content<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch {
        throw ContentFailure((error as? any ExitStatusError)?.exitStatus ?? .dataError, "\(error)")
    }
}
