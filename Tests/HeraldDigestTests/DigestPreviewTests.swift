import Foundation
import HeraldDigest
import HeraldMail
import HeraldTestSupport
import Testing

@Suite struct DigestPreviewTests {
    @Test func writesAMaildirMessageAndTheHTMLPage() throws {
        let dir = try TempDir()
        let publication = try DigestFixtures.publication(dir)
        let out = dir.url.appendingPathComponent("preview")
        let written = try DigestPreview.write(
            publication: publication, posts: [DigestFixtures.post()], number: 1,
            date: DigestFixtures.date, to: "小明 <me@例子.中国>", out: out,
            templatesDirectory: DigestFixtures.templates, environment: [:])
        for sub in ["tmp", "new", "cur"] {
            var isDir: ObjCBool = false
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(sub).path, isDirectory: &isDir) && isDir.boolValue)
        }
        #expect(written.message.deletingLastPathComponent().lastPathComponent == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("tmp").path).isEmpty)
        let parsed = MessageParts(Array(try Data(contentsOf: written.message)))
        #expect(parsed.value("To")?.hasSuffix(" <me@xn--fsqu00a.xn--fiqs8s>") == true)
        #expect(PlainEncodedWords.decode(parsed.value("To")!.split(separator: " ").dropLast().map(String.init)) == "小明")
        // No secret in this environment: the preview says its links do not work.
        #expect(written.usedPreviewSecret)
        #expect(parsed.value("X-Herald-Preview") != nil)
        #expect(try String(contentsOf: written.html, encoding: .utf8).contains("<title>社区周报 第 1 期</title>"))
    }

    @Test func configuredSecretIsUsedWhenPresent() throws {
        let dir = try TempDir()
        let publication = try DigestFixtures.publication(dir)
        let written = try DigestPreview.write(
            publication: publication, posts: [DigestFixtures.post()], number: 1,
            date: DigestFixtures.date, out: dir.url.appendingPathComponent("p"),
            templatesDirectory: DigestFixtures.templates,
            environment: ["HERALD_UNSUBSCRIBE_SECRET": "test-secret-0123456789abcdef"])
        #expect(!written.usedPreviewSecret)
        #expect(MessageParts(Array(try Data(contentsOf: written.message))).value("X-Herald-Preview") == nil)
    }
}
