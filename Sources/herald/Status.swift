import ArgumentParser
import Foundation
import HeraldBase
import HeraldConfig
import HeraldState

/// `--state-dir`, shared by the commands that read or write a publication's state.
struct StateLocation: ParsableArguments {
    @Option(help: "Folder of the publication's state database (default: state: in herald.yml, else $STATE_DIRECTORY/NAME under systemd, else $XDG_STATE_HOME/herald/NAME).")
    var stateDir: String?
    @Flag(name: .shortAndLong, help: "Say where the state is (to stderr).")
    var verbose = false

    func directory(for publication: Publication) -> URL {
        let directory = stateDir.map { URL(fileURLWithPath: $0) } ?? StateDatabase.defaultDirectory(for: publication)
        if verbose { printError("state: \(directory.path)") }
        return directory
    }

    /// Loads the publication and opens its state database.
    func open(_ path: String) throws -> (Publication, StateDatabase) {
        let publication = try Publication.load(from: path)
        return (publication, try StateDatabase(directory: directory(for: publication)))
    }
}

extension Herald {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the last digests, their deliveries by status, pending retries and uncertain deliveries.")

        @Argument(help: "The publication folder, e.g. feeds/example.")
        var publication: String
        @OptionGroup var state: StateLocation
        @Flag(help: "Print JSON instead of text.")
        var json = false
        @Option(help: "How many recent digests to show.")
        var digests = 5

        func run() throws {
            let (pub, database) = try state.open(publication)
            var report = try StatusReport.load(database, lastDigests: digests)
            report.stateDirectory = database.directory.path
            let last = try DeliveryJournal(database: database).lastSentDigest()
            let now = Date()
            report.nextDigest = pub.digest.schedule.nextDue(now: now, lastDigestAt: last?.createdAt).map { due in
                due == now ? "now" : InternetDates.rfc3339(due, offset: pub.timeZone.secondsFromGMT(for: due))
            } ?? "manual"
            if json {
                let encoder = JSONEncoder()
                encoder.keyEncodingStrategy = .convertToSnakeCase
                encoder.dateEncodingStrategy = .iso8601
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
                return
            }
            print("state: \(database.directory.path)")
            print("next digest: \(report.nextDigest ?? "manual") (\(pub.digest.schedule), \(pub.timeZone.identifier))")
            let s = report.subscribers
            print("subscribers: \(s["active"] ?? 0) active, \(s["unsubscribed"] ?? 0) unsubscribed, \(s["bounced"] ?? 0) bounced")
            if report.digests.isEmpty { print("no digest sent yet") }
            for d in report.digests {
                let counts = DeliveryStatus.allCases.map { "\($0.rawValue) \(d.deliveries[$0.rawValue] ?? 0)" }.joined(separator: ", ")
                print("#\(d.number) \(d.createdAt.formatted(.iso8601)) \(d.complete ? "complete" : "UNFINISHED"): \(counts) — \(d.subject)")
            }
            for (title, list) in [("pending retries", report.pendingRetries), ("failed", report.failed), ("uncertain", report.uncertain)]
            where !list.isEmpty {
                print("\(title):")
                for x in list { print("  #\(x.digest) \(x.address) (\(x.attempts) attempts): \(x.lastReply ?? "")") }
            }
            if !report.recentReports.isEmpty {
                let counts = ["bounced", "counted", "unsubscribed", "ignored"].map { "\($0) \(report.reports[$0] ?? 0)" }
                print("bounce and complaint reports: \(counts.joined(separator: ", ")); latest:")
                for r in report.recentReports {
                    let what = [r.kind, r.statusCode].compactMap { $0 }.joined(separator: " ")
                    print("  \(r.receivedAt.formatted(.iso8601)) \(r.decision) \(r.address ?? "(no subscriber)") (\(ControlEscaping.escaped(what))) \(ControlEscaping.escaped(r.messageID))")
                }
            }
        }
    }
}
