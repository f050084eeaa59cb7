import Foundation
import HeraldBase
import HeraldConfig
import HeraldMail
import HeraldState

/// `herald send --test ADDRESS`: the digest a send would deliver (the unfinished one,
/// else the next one, else the last one journaled) to one address, through the same
/// `SMTPConnection` as a real send. The journal is not touched and no lock is taken,
/// so it can run beside a send; the server's reply is the result.
public struct TestSend {
    let publication: Publication
    let stateDirectory: URL
    let source: any DigestSource
    let address: EmailAddress
    let environment: [String: String]
    let now: Date

    public init(
        publication: Publication, stateDirectory: URL, source: any DigestSource, address: EmailAddress,
        environment: [String: String] = ProcessInfo.processInfo.environment, now: Date = Date()
    ) {
        self.publication = publication
        self.stateDirectory = stateDirectory
        self.source = source
        self.address = address
        self.environment = environment
        self.now = now
    }

    public func run() -> (status: ExitStatus, message: String) {
        let options: SMTPConnection.Options
        do { options = try publication.smtp.connectionOptions(environment: environment, baseDirectory: publication.directory) } catch {
            return (.config, error.description)
        }
        let prepared: PreparedDigest
        do {
            let journal = try PublicationStore.open(publication: publication, directory: stateDirectory).digestHistory
            let last = try journal.lastSentDigest()
            if let unfinished = try journal.unfinishedDigest() {
                prepared = try source.resume(unfinished)
            } else if let next = try source.next(after: last, number: try journal.nextDigestNumber(), now: now) {
                prepared = next
            } else if let last {
                prepared = try source.resume(last)
            } else {
                return (.ok, "nothing to send: no post for a digest yet")
            }
        } catch {
            // A missing secret or template says 78 and a database failure 74, as in `send`;
            // only what states no status of its own is bad content.
            return (Self.status(of: error), "\(error)")
        }
        let message: OutgoingMessage
        do {
            message = try prepared.render(Subscriber(id: 0, address: address, name: nil))
        } catch {
            return (Self.status(of: error), "cannot render the message for \(address): \(error)")
        }
        let reply: SMTPReply
        do { reply = try SMTPConnection(options).send(message) } catch {
            return (.config, "libcurl refused the SMTP settings: \(error.description)")
        }
        let what = "digest #\(prepared.record.number) (\(prepared.record.subject)) to \(address)"
        switch reply.verdict {
        case .accepted: return (.ok, "\(what): the server replied \(reply.description)")
        case .stopRun(let problem):
            let stop = DigestSender.Stop.smtp(problem, detail: reply.description)
            return (stop.exitStatus, "\(what): \(stop)")
        default: return (.unavailable, "\(what): not accepted: \(reply.description)")
        }
    }

    private static func status(of error: any Error) -> ExitStatus {
        (error as? any ExitStatusError)?.exitStatus ?? .dataError
    }
}
