import Foundation
import HeraldBase
import HeraldTestSupport
import Testing

@Suite struct SecretFileTests {
    @Test func readsARegularFileItsOwnerMayWrite() throws {
        let dir = try TempDir()
        let file = try dir.write("secret", "s3cret\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        #expect(try SecretFile.text(of: file.path) == "s3cret\n")
    }

    @Test func refusesALinkEvenToAGoodFile() throws {
        let dir = try TempDir()
        let target = try dir.write("secret", "s3cret\n")
        let link = dir.url.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        #expect {
            try SecretFile.text(of: link.path)
        } throws: { error in
            "\(error)".hasPrefix(link.path) && "\(error)".contains("symbolic link") && !"\(error)".contains("s3cret")
        }
    }

    @Test func refusesAFileEveryUserMayWrite() throws {
        let dir = try TempDir()
        let file = try dir.write("secret", "s3cret\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: file.path)
        #expect {
            try SecretFile.text(of: file.path)
        } throws: { error in
            "\(error)".contains("written by every user (mode 0666)") && "\(error)".contains("chmod 0600 \(file.path)")
        }
    }

    @Test func refusesAFolderAMissingFileAndAHugeOne() throws {
        let dir = try TempDir()
        #expect(throws: SecretFile.Problem.self) { try SecretFile.text(of: dir.path) }
        #expect(throws: SecretFile.Problem.self) { try SecretFile.text(of: dir.path + "/none") }
        let huge = try dir.write("huge", String(repeating: "x", count: SecretFile.limit + 1))
        #expect {
            try SecretFile.text(of: huge.path)
        } throws: { error in "\(error)".contains("larger than 64 KiB") }
    }
}
