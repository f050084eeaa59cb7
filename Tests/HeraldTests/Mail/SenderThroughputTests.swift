import Foundation
import Logging
import Testing
@testable import HeraldConfig
@testable import HeraldState
@testable import HeraldMail

/// The sender and journal alone, with a fixed message instead of the digest
/// composer, into a real SMTP sink: `bench/mail.sh` runs it as
/// `HERALD_BENCH_SMTP=127.0.0.1:2525 swift test --skip-build --filter SenderThroughput`.
/// Skipped unless HERALD_BENCH_SMTP names a server that accepts everything.
@Suite struct SenderThroughputTests {
    static let env = ProcessInfo.processInfo.environment

    @Test(.enabled(if: env["HERALD_BENCH_SMTP"] != nil))
    func everyMessageAcceptedAndTimed() throws {
        let count = Int(Self.env["HERALD_BENCH_MESSAGES"] ?? "") ?? 20_000
        let size = Int(Self.env["HERALD_BENCH_BYTES"] ?? "") ?? 10_000
        let dir = try TempDir()
        let db = try StateDatabase(directory: dir.url)
        var csv = "address\n"
        for i in 0..<count { csv += "reader\(i)@example.org\n" }
        #expect(try SubscriberStore(database: db).importList(csv, path: "bench.csv").added == count)
        let journal = DeliveryJournal(database: db)
        try journal.create(DigestRecord(number: 1, postIDs: [], subject: "bench", createdAt: Date(), newestPostDate: Date()))

        // A plain RFC 5322 message of `size` bytes, addressed to each subscriber.
        let line = String(repeating: "x", count: 76) + "\r\n"
        let body = String(repeating: line, count: max(1, size / line.utf8.count))
        var smtp = SMTPSettings()
        smtp.url = URL(string: "smtp://\(Self.env["HERALD_BENCH_SMTP"]!)")
        smtp.connections = Int(Self.env["HERALD_BENCH_CONNECTIONS"] ?? "") ?? 4
        let sender = try DigestSender(journal: journal, digest: 1, smtp: smtp, baseDirectory: dir.url, environment: [:],
                                      logger: Logger(label: "bench")) { s in
            let id = "<bench.\(s.id)@example.org>"
            let head = "From: bench@example.org\r\nTo: \(s.address)\r\nSubject: bench\r\nMessage-ID: \(id)\r\n\r\n"
            return OutgoingMessage(envelopeFrom: "bench@example.org", envelopeTo: s.address.ascii, messageID: id,
                                   bytes: Array((head + body).utf8))
        }
        let start = Date()
        let report = sender.run()
        let seconds = Date().timeIntervalSince(start)
        #expect(report.stop == nil)
        #expect(report.counts.sent == count)
        #expect(try journal.counts(digest: 1)[.sent] == count)
        print(String(format: "sender+journal only: %d messages of %d bytes, %d connections: %.2f s, %.0f msg/s",
                     count, size, smtp.connections, seconds, Double(count) / seconds))
    }
}
