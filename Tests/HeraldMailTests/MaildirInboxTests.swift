import Foundation
import HeraldMail
import HeraldTestSupport
import Testing

@Suite struct MaildirInboxTests {
    @Test func unreadIsNewAndCurWithoutSeenAndReadingAddsTheSeenFlag() throws {
        let dir = try TempDir()
        for sub in ["new", "cur", "tmp"] {
            try FileManager.default.createDirectory(at: dir.url.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        try dir.write("new/1.a", "x")
        try dir.write("cur/2.b:2,F", "x") // flagged by a client, not seen: unread
        try dir.write("cur/3.c:2,RS", "x") // seen: read
        try dir.write("new/.hidden", "x")
        let inbox = try MaildirInbox(directory: dir.url)
        let unread = try inbox.unread().map { $0.path.replacingOccurrences(of: dir.path + "/", with: "") }
        #expect(unread == ["new/1.a", "cur/2.b:2,F"])
        for file in try inbox.unread() { try inbox.markRead(file) }
        #expect(try inbox.unread().isEmpty)
        let cur = try FileManager.default.contentsOfDirectory(atPath: dir.url.appendingPathComponent("cur").path).sorted()
        #expect(cur == ["1.a:2,S", "2.b:2,FS", "3.c:2,RS"])
        #expect(throws: MaildirInbox.NotAMaildir.self) { try MaildirInbox(directory: dir.url.appendingPathComponent("new")) }
    }
}
