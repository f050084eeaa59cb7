import Foundation
import Testing

@testable import HeraldMail

@Suite struct RateLimiterTests {
    @Test func noCapMeansNoLimiter() {
        #expect(RateLimiter(perSecond: 0) == nil)
    }

    @Test func spacesCallsAcrossThreadsToTheRate() {
        let limiter = RateLimiter(perSecond: 200)!
        let start = Date()
        // 4 threads (like 4 connections) share 41 slots 5 ms apart: the last one
        // starts at least 200 ms after the first, however the threads interleave.
        let group = DispatchGroup()
        for t in 0..<4 {
            group.enter()
            Thread {
                for _ in 0..<(t == 0 ? 11 : 10) { limiter.wait() }
                group.leave()
            }.start()
        }
        group.wait()
        #expect(Date().timeIntervalSince(start) >= 0.195)
    }
}
