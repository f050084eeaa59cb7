import Foundation
import HeraldBase
import HeraldConfig
import HeraldMail
import HeraldState
import Logging

// The sender and journal alone, with a fixed message instead of the digest composer, into
// a real SMTP sink: `bench/mail.sh` runs it as
// `HERALD_BENCH_SMTP=127.0.0.1:2525 .build/release/herald-sender-bench`.
let env = ProcessInfo.processInfo.environment
guard let server = env["HERALD_BENCH_SMTP"] else {
    FileHandle.standardError.write(Data("set HERALD_BENCH_SMTP=HOST:PORT, a server that accepts everything\n".utf8))
    exit(64)
}
let count = Int(env["HERALD_BENCH_MESSAGES"] ?? "") ?? 20_000
let size = Int(env["HERALD_BENCH_BYTES"] ?? "") ?? 10_000
let dir = FileManager.default.temporaryDirectory.appendingPathComponent("herald-sender-bench-\(UUID().uuidString)")
defer { try? FileManager.default.removeItem(at: dir) }
let db = try StateDatabase(directory: dir)
var csv = "address\n"
for i in 0..<count { csv += "reader\(i)@example.org\n" }
let imported = try SubscriberStore(database: db).importList(csv, path: "bench.csv").added
precondition(imported == count, "imported \(imported) of \(count) subscribers")
let journal = DeliveryJournal(database: db)
try journal.create(DigestRecord(number: 1, postIDs: [], subject: "bench", createdAt: Date(), newestPostDate: Date()))

// A plain RFC 5322 message of `size` bytes, addressed to each subscriber.
let line = String(repeating: "x", count: 76) + "\r\n"
let body = String(repeating: line, count: max(1, size / line.utf8.count))
var smtp = SMTPSettings()
smtp.url = URL(string: "smtp://\(server)")
smtp.connections = Int(env["HERALD_BENCH_CONNECTIONS"] ?? "") ?? 4
let sender = try DigestSender(
    journal: journal, digest: 1, smtp: smtp, baseDirectory: dir, environment: [:],
    logger: Logger(label: "bench")
) { s in
    let id = "<bench.\(s.id)@example.org>"
    let head = "From: bench@example.org\r\nTo: \(s.address)\r\nSubject: bench\r\nMessage-ID: \(id)\r\n\r\n"
    return OutgoingMessage(
        envelopeFrom: "bench@example.org", envelopeTo: s.address.ascii, messageID: id,
        bytes: Array((head + body).utf8))
}
let start = Date()
let report = sender.run()
let seconds = Date().timeIntervalSince(start)
let sent = try journal.counts(digest: 1)[.sent] ?? 0
guard report.stop == nil, report.counts.sent == count, sent == count else {
    FileHandle.standardError.write(Data("not every message was accepted: sent \(report.counts.sent), journal \(sent) of \(count)\n".utf8))
    exit(69)
}
print(
    String(
        format: "sender+journal only: %d messages of %d bytes, %d connections: %.2f s, %.0f msg/s",
        count, size, smtp.connections, seconds, Double(count) / seconds))
