import Foundation
import HeraldBase
import HeraldConfig
import HeraldContent
import HeraldTestSupport
import Testing

@testable import HeraldFeeds

/// The build record lives in the state folder, never among the published feeds.
@Suite struct BuildRecordTests {
    let dir: TempDir
    let pub: Publication
    var out: URL { dir.url.appendingPathComponent("public") }
    var state: URL { Fixture.state(for: out) }

    init() throws {
        dir = try TempDir()
        pub = try Fixture.publication(in: dir)
    }

    @Test func recordGoesToTheStateFolderNotTheOutput() throws {
        _ = try Fixture.build(pub, [Fixture.post(1)], out: out)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(BuildRecord.legacyFileName).path))
        let data = try Data(contentsOf: state.appendingPathComponent(BuildRecord.fileName))
        let record = try JSONDecoder().decode(BuildRecord.self, from: data)
        #expect(record.output == out.standardizedFileURL.path)
        #expect(record.files.contains("feed.json"))
    }

    @Test func legacyRecordInTheOutputIsReadThenRemoved() throws {
        _ = try Fixture.build(pub, [Fixture.post(1, tags: ["Layotto"])], out: out)
        // As an older Herald left it: the record in the output folder, none in the state folder.
        let record = try Data(contentsOf: state.appendingPathComponent(BuildRecord.fileName))
        try record.write(to: out.appendingPathComponent(BuildRecord.legacyFileName))
        try FileManager.default.removeItem(at: state)
        try dir.write("pub/posts/a.md", UUID().uuidString)
        let report = try Fixture.build(pub, [Fixture.post(1, tags: ["SOFA Weekly"])], out: out)
        // The legacy record still says which files the last build wrote, so the gone tag goes.
        #expect(report.feedsRemoved == 3)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(BuildRecord.legacyFileName).path))
        #expect(FileManager.default.fileExists(atPath: state.appendingPathComponent(BuildRecord.fileName).path))
    }

    @Test func recordForAnotherOutputFolderIsNotTrusted() throws {
        let other = dir.url.appendingPathComponent("elsewhere")
        _ = try Fixture.build(pub, [Fixture.post(1)], out: out)
        let report = try FeedBuilder(
            publication: pub, source: MemorySource(posts: [Fixture.post(1)]),
            options: .init(
                output: other, stateDirectory: state,
                now: Date(timeIntervalSince1970: 2_000_000_000))
        ).build()
        #expect(!report.upToDate)
        #expect(FileManager.default.fileExists(atPath: other.appendingPathComponent("atom.xml").path))
    }
}
