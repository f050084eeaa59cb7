import Foundation
import HeraldBase
import HeraldTestSupport
import Testing

@testable import HeraldContent

/// A rewrite goes to its file as it is made (`spill` bytes at a time); the file must be the
/// one the whole segment written at once gives, and read back to the same records.
struct CacheLogTests {
    let scratch: TempDir
    let key = Array("the inputs".utf8)

    init() throws { scratch = try TempDir() }

    /// Seeded records of every size around the spill points, empty ones and one far larger.
    private func records(seed: UInt64) -> [[UInt8]] {
        var random = TestRandom(seed: seed)
        var records = (0..<200).map { _ in
            (0..<Int.random(in: 0...300, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
        }
        records.insert([], at: 3)
        records.append([UInt8](repeating: 0x0A, count: 5_000))
        return records
    }

    private func write(_ records: [[UInt8]], spill: Int, name: String) throws -> String {
        let path = scratch.url.appendingPathComponent(name).path
        try CacheLog.rewrite(to: path, magic: "test log", key: key, spill: spill) { segment in
            for record in records { record.withUnsafeBytes { segment.add($0) } }
        }
        return path
    }

    private func readBack(_ path: String) throws -> [[UInt8]] {
        let contents = try #require(CacheLog.read(path, magic: "test log", key: key))
        return contents.records.indices.map { Array(contents.bytes($0)) }
    }

    @Test(arguments: [1, 7, 64, 301, 4096])
    func aSpilledRewriteIsTheWholeOne(spill: Int) throws {
        let records = records(seed: UInt64(spill))
        let whole = try write(records, spill: .max, name: "whole")
        let spilled = try write(records, spill: spill, name: "spilled-\(spill)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: spilled)) == Data(contentsOf: URL(fileURLWithPath: whole)))
        #expect(try readBack(spilled) == records)
        #expect(!FileManager.default.fileExists(atPath: spilled + ".tmp-\(getpid())"))
    }

    @Test func noRecordsAndAppendsReadBack() throws {
        let path = try write([], spill: 1, name: "empty")
        #expect(try readBack(path) == [])
        let contents = try #require(CacheLog.read(path, magic: "test log", key: key))
        try CacheLog.append(to: path, of: contents, key: key) { segment in
            [UInt8]([1, 2, 3]).withUnsafeBytes { segment.add($0) }
            segment.add { $0.string("written in place") }
        }
        let read = try readBack(path)
        #expect(read.count == 2 && read[0] == [1, 2, 3])
    }

    /// A byte changed anywhere in a spilled segment, its count included, fails the checksum.
    @Test func aChangedByteOfASpilledSegmentIsNotTrusted() throws {
        let path = try write(records(seed: 9), spill: 50, name: "garbled")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let headerCount = "test log".utf8.count + 1 + key.count
        for offset in [headerCount, headerCount + 3, headerCount + 8, bytes.count / 2, bytes.count - 1] {
            var garbled = bytes
            garbled[offset] ^= 0x20
            try garbled.write(to: URL(fileURLWithPath: path))
            #expect(CacheLog.read(path, magic: "test log", key: key) == nil, "byte \(offset)")
        }
    }

    /// A cache that cannot be written says so and leaves no temporary file behind.
    @Test func aFolderInTheWayIsAnError() throws {
        let path = scratch.url.appendingPathComponent("in-the-way").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        #expect(throws: FileError.self) {
            try CacheLog.rewrite(to: path, magic: "test log", key: key, spill: 8) { segment in
                [UInt8](repeating: 1, count: 100).withUnsafeBytes { segment.add($0) }
            }
        }
        #expect(!FileManager.default.fileExists(atPath: path + ".tmp-\(getpid())"))
    }
}
