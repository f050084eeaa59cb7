import HeraldMail
import Testing

@Suite struct BackoffTests {
    @Test func doublesFromTheBaseUntilTheCap() {
        let backoff = Backoff(base: 2, cap: 60, jitter: 0)
        let schedule = (1...7).map { backoff.delay(retry: $0, random: 0) }
        #expect(schedule == [2, 4, 8, 16, 32, 60, 60])
    }

    @Test func jitterOnlyShortensWithinItsFraction() {
        let backoff = Backoff(base: 10, cap: 1000, jitter: 0.2)
        #expect(backoff.delay(retry: 3, random: 0) == 40)
        #expect(backoff.delay(retry: 3, random: 0.5) == 36)
        for _ in 0..<100 {
            let d = backoff.delay(retry: 3)
            #expect(d > 32 && d <= 40)
        }
    }

    @Test func zeroBaseRetriesAtOnceAndHugeRetryCountsDoNotOverflow() {
        #expect(Backoff(base: 0).delay(retry: 4) == 0)
        #expect(Backoff(base: 1, cap: 300, jitter: 0).delay(retry: 10_000) == 300)
    }
}
