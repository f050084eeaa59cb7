import Foundation
import Testing

@testable import HeraldBase

/// The arena limit reaches glibc's mallopt, and threads allocate as before under it.
struct MallocArenasTests {
    @Test func theLimitIsTakenAndThreadsStillAllocate() {
        #expect(MallocArenas.limit(to: ProcessInfo.processInfo.activeProcessorCount))
        #expect(MallocArenas.limit(to: 0), "a count below one asks for one")
        let sums = parallelMap(Array(0..<64)) { i in
            (0..<1_000).map { [UInt8](repeating: UInt8(i), count: $0 % 97) }.reduce(0) { $0 + $1.count }
        }
        #expect(Set(sums).count == 1 && sums[0] == (0..<1_000).reduce(0) { $0 + $1 % 97 })
    }
}
