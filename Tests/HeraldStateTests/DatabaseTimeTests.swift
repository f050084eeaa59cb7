import Foundation
import GRDB
import HeraldTestSupport
import Testing

@testable import HeraldState

/// The journal's own date formatting against GRDB's, which wrote every date stored so far.
@Suite struct DatabaseTimeTests {
    @Test func sameTextAsGRDBForDatesOfThisCentury() {
        var generator = TestRandom.seeded("DatabaseTimeTests")
        let fixed = [0.0, 0.0005, 0.9995, 0.999_999_9, -0.0005, 86_399.9999, 1e9 + 0.123]
            .map { Date(timeIntervalSinceReferenceDate: $0) }
        let random = (0..<20_000).map { _ in Date(timeIntervalSince1970: Double.random(in: 0...4_102_444_800, using: &generator)) }
        for date in fixed + random + [Date(), Date.distantFuture] {
            let grdb = String.fromDatabaseValue(date.databaseValue)
            #expect(DatabaseTime.text(date) == grdb, "\(date.timeIntervalSinceReferenceDate) \(generator.replay)")
            #expect(String.fromDatabaseValue(DatabaseTime.value(date)) == grdb, "\(generator.replay)")
        }
        // Outside the years it writes itself, GRDB's formatter does it.
        #expect(DatabaseTime.text(Date.distantPast) == nil)
        #expect(DatabaseTime.value(Date.distantPast) == Date.distantPast.databaseValue)
    }
}
