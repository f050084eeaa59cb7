import Foundation
import HeraldTestSupport
import Testing

@testable import HeraldBase

/// BoundedRead reads a regular file into one buffer of its size; anything else (a pipe, a
/// file that grew or shrank since it was measured) in chunks. Both ways are held to
/// Foundation's whole-file read, at the sizes where buffer and chunk edges fall.
@Suite struct BoundedReadTests {
    static let sizes = [0, 1, 4_095, 65_535, 65_536, 65_537, 200_001, 1 << 20]

    func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
    }

    @Test(arguments: sizes) func aRegularFileReadsAsFoundationReadsIt(size: Int) throws {
        let dir = try TempDir()
        let file = dir.url.appendingPathComponent("f")
        try Data(bytes(size, seed: UInt64(size))).write(to: file)
        let read = try BoundedRead.contents(of: file.path, limit: 1 << 21, regularOnly: true)
        #expect(read == [UInt8](try Data(contentsOf: file)))
    }

    @Test(arguments: [0, 10, 65_536]) func aFileThatGrewOrShrankSinceItWasMeasuredIsReadWhole(expected: Int) throws {
        let dir = try TempDir()
        let file = dir.url.appendingPathComponent("f")
        let content = bytes(100_000, seed: 7)
        try Data(content).write(to: file)
        for claimed in [expected, 150_000] {
            let fd = open(file.path, O_RDONLY)
            defer { close(fd) }
            #expect(try BoundedRead.contents(descriptor: fd, limit: 1 << 20, name: "f", expected: claimed) == content)
        }
    }

    /// A stream socket stands in for a pipe: a reader that gives up at the limit closes
    /// its end, and the writer's send (MSG_NOSIGNAL) fails instead of raising SIGPIPE.
    @Test func aPipeIsReadInChunksUpToTheLimit() throws {
        let content = bytes(300_000, seed: 3)
        for (limit, fits) in [(300_000, true), (299_999, false)] {
            var ends: [Int32] = [0, 0]
            #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &ends) == 0)
            let (readEnd, writeEnd) = (ends[0], ends[1])
            let writer = Thread {
                content.withUnsafeBytes { raw in
                    var done = 0
                    while done < raw.count {
                        let n = send(writeEnd, raw.baseAddress! + done, raw.count - done, Int32(MSG_NOSIGNAL))
                        if n <= 0 { break }
                        done += n
                    }
                }
                close(writeEnd)
            }
            writer.start()
            defer { close(readEnd) }
            if fits {
                #expect(try BoundedRead.contents(descriptor: readEnd, limit: limit, name: "pipe") == content)
            } else {
                #expect(throws: BoundedRead.Failure.self) {
                    try BoundedRead.contents(descriptor: readEnd, limit: limit, name: "pipe")
                }
            }
        }
    }

    @Test func aFileAtTheLimitIsReadAndOneByteMoreIsRefused() throws {
        let dir = try TempDir()
        let file = dir.url.appendingPathComponent("f")
        try Data(bytes(1_000, seed: 1)).write(to: file)
        #expect(try BoundedRead.contents(of: file.path, limit: 1_000, regularOnly: true).count == 1_000)
        #expect {
            try BoundedRead.contents(of: file.path, limit: 999, regularOnly: true)
        } throws: { error in
            "\(error)" == "larger than 999 bytes"
        }
    }

    @Test func onlyARegularFileWhenAskedForOne() throws {
        let dir = try TempDir()
        let target = try dir.write("target", "text")
        let link = dir.url.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        let fifo = dir.url.appendingPathComponent("fifo")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        for (path, kind) in [(link.path, "a symbolic link"), (fifo.path, "a FIFO"), (dir.path, "a folder")] {
            #expect {
                try BoundedRead.contents(of: path, limit: 100, regularOnly: true)
            } throws: { error in
                "\(error)" == "not a regular file but \(kind)"
            }
        }
        #expect(throws: BoundedRead.Failure.self) { try BoundedRead.contents(of: dir.path, limit: 100, regularOnly: false) }
        #expect(throws: BoundedRead.Failure.self) { try BoundedRead.contents(of: dir.path + "/none\u{1}", limit: 100, regularOnly: true) }
    }
}
