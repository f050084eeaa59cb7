import HeraldMail
import Testing

/// The end-of-run line puts every delivery of the digest in exactly one count.
@Suite struct ProgressTests {
    @Test func skippedDeliveriesAreNeitherFailedNorLeftPending() {
        var counts = Progress.Counts()
        counts.total = 10
        counts.sent = 6
        counts.failed = 1
        counts.skippedUnsubscribed = 2
        counts.deferred = 1
        #expect(counts.pending == 0)
        #expect(counts.summary == "sent 6, failed 1, skipped (unsubscribed) 2, uncertain 0, left pending 1 of 10")
        counts.skippedBounced = 1
        counts.deferred = 0
        #expect(counts.summary == "sent 6, failed 1, skipped (unsubscribed) 2, skipped (bounced) 1, uncertain 0, left pending 0 of 10")
    }
}
