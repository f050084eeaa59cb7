import Foundation
import HeraldBase
import HeraldConfig
import HeraldState

/// `herald status`: the last digests, their deliveries by status, what needs a human.
public struct ShowStatus {
    let state: PublicationState
    var publication: Publication { state.publication }

    public init(_ state: PublicationState) { self.state = state }

    /// The report as text lines, or as one JSON document.
    public func run(lastDigests: Int, json: Bool, now: Date = Date()) throws -> String {
        let reading = try StatusReport.read(publication: publication, directory: state.directory, lastDigests: lastDigests)
        var report = reading.report
        report.stateDirectory = reading.location
        let last = reading.lastDigest
        report.nextDigest =
            publication.digest.schedule.nextDue(now: now, lastDigestAt: last?.createdAt).map { due in
                due == now ? "now" : InternetDates.rfc3339(due, offset: publication.timeZone.secondsFromGMT(for: due))
            } ?? "manual"
        if json {
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(report), as: UTF8.self)
        }
        let path = reading.location
        let place = reading.exists ? path : "\(path) (no state database yet: nothing subscribed, imported or sent)"
        return text(report, state: place, now: now).joined(separator: "\n")
    }

    private func text(_ report: StatusReport, state: String, now: Date) -> [String] {
        var lines = [
            "state: \(state)",
            "next digest: \(report.nextDigest ?? "manual") (\(publication.digest.schedule), \(publication.timeZone.identifier))",
        ]
        let s = report.subscribers
        lines.append("subscribers: \(s["active"] ?? 0) active, \(s["unsubscribed"] ?? 0) unsubscribed, \(s["bounced"] ?? 0) bounced")
        if report.digests.isEmpty { lines.append("no digest sent yet") }
        for d in report.digests {
            let counts = DeliveryStatus.allCases.map { "\($0.rawValue) \(d.deliveries[$0.rawValue] ?? 0)" }.joined(separator: ", ")
            lines.append(
                "#\(d.number) \(d.createdAt.formatted(.iso8601)) \(d.complete ? "complete" : "UNFINISHED"): \(counts) — \(d.subject)")
            for s in d.senders {
                let seen = max(0, Int(now.timeIntervalSince(s.seenAt).rounded()))
                let lease = s.leaseRanOut ? ", LEASE RAN OUT (its claims go to the other senders)" : ""
                lines.append(
                    "  sender \(s.host) pid \(s.pid): sent \(s.sent), failed \(s.failed), uncertain \(s.uncertain), holding \(s.holding), last seen \(seen) s ago\(lease)"
                )
            }
        }
        for (title, list) in [("pending retries", report.pendingRetries), ("failed", report.failed), ("uncertain", report.uncertain)]
        where !list.isEmpty {
            lines.append("\(title):")
            for x in list { lines.append("  #\(x.digest) \(x.address) (\(x.attempts) attempts): \(x.lastReply ?? "")") }
        }
        if !report.recentReports.isEmpty {
            let counts = ["bounced", "counted", "unsubscribed", "ignored"].map { "\($0) \(report.reports[$0] ?? 0)" }
            lines.append("bounce and complaint reports: \(counts.joined(separator: ", ")); latest:")
            for r in report.recentReports {
                let what = [r.kind, r.statusCode].compactMap { $0 }.joined(separator: " ")
                lines.append(
                    "  \(r.receivedAt.formatted(.iso8601)) \(r.decision) \(r.address ?? "(no subscriber)") (\(ControlEscaping.escaped(what))) \(ControlEscaping.escaped(r.messageID))"
                )
            }
        }
        return lines
    }
}
