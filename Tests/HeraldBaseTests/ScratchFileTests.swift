import Foundation
import HeraldTestSupport
import Testing

@testable import HeraldBase

@Suite struct ScratchFileTests {
    @Test func replacesTheFileAndLeavesNoTemporaryBehind() throws {
        let dir = try TempDir()
        let target = try dir.write("digest.html", "old and longer than the new text")
        let temporary = dir.url.appendingPathComponent(".digest.html.tmp").path
        let bytes = Array("<p>新</p>\u{0}\n".utf8)
        try ScratchFile.write(bytes, to: target.path, through: temporary)
        #expect(try Array(Data(contentsOf: target)) == bytes)
        #expect(!FileManager.default.fileExists(atPath: temporary))
        try ScratchFile.write([], to: target.path, through: temporary)
        #expect(try Data(contentsOf: target).isEmpty)
    }

    @Test func aSymlinkWhereTheTemporaryGoesIsRefusedAndItsTargetUntouched() throws {
        let dir = try TempDir()
        let victim = try dir.write("victim", "keep me")
        let temporary = dir.url.appendingPathComponent(".digest.html.tmp")
        try FileManager.default.createSymbolicLink(at: temporary, withDestinationURL: victim)
        let target = dir.url.appendingPathComponent("digest.html").path
        #expect(throws: SystemError.self) { try ScratchFile.write(Array("x".utf8), to: target, through: temporary.path) }
        #expect(try String(contentsOf: victim, encoding: .utf8) == "keep me")
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    @Test func aMissingFolderIsAnErrorNamingTheFile() throws {
        let dir = try TempDir()
        let temporary = dir.url.appendingPathComponent("no/such/.x.tmp").path
        #expect {
            try ScratchFile.write([1], to: dir.url.appendingPathComponent("no/such/x").path, through: temporary)
        } throws: { error in
            "\(error)".contains(temporary)
        }
    }
}
