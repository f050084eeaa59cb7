import Foundation
import HeraldTestSupport
import Testing
import HeraldBase
import HeraldState

@Suite struct SubscriberImportTests {
    let dir: TempDir
    init() throws { dir = try TempDir() }

    /// A fresh database in the suite's scratch folder (which outlives every store).
    func store(_ name: String = "a") throws -> SubscriberStore {
        SubscriberStore(database: try StateDatabase(directory: dir.url.appendingPathComponent(name)))
    }

    @Test func badRowsAreReportedWithTheirLineAndTheRestImported() throws {
        let store = try store()
        let csv = """
            address,name
            ana@example.org,Ana
            not-an-address,Nobody
            "bo@x.org","Bo, Jr."
            "multi@x.org","line one
            line two"
            bad@@x,
            ana@EXAMPLE.ORG,the same address with the domain in capitals
            """
        let report = try store.importList(csv, path: "people.csv")
        #expect(report.problems.map(\.description) == [
            "people.csv:3: \"not-an-address\" is not a valid address (no @)",
            "people.csv:7: \"bad@@x\" is not a valid address (\"@\" is not allowed in the local part)",
        ])
        #expect(report.added == 3)
        #expect(try store.list().map(\.subscriber.address.description) == ["ana@example.org", "bo@x.org", "multi@x.org"])
        #expect(try store.list().map(\.subscriber.name) == ["Ana", "Bo, Jr.", "line one\nline two"])
    }

    @Test func oneSubscriberPerPersonLocalPartKeptAsWritten() throws {
        let store = try store()
        #expect(try store.add(EmailAddress("Ana@Bücher.Example"), name: nil) == .added)
        #expect(try store.add(EmailAddress("ana@xn--bcher-kva.example"), name: nil) == .alreadyActive)
        #expect(try store.add(EmailAddress("ana@bücher.example"), name: nil) == .alreadyActive)
        #expect(try store.list().map(\.subscriber.address.description) == ["Ana@bücher.example"])
        #expect(try store.setStatus(EmailAddress("ANA@BÜCHER.EXAMPLE"), .unsubscribed))
    }

    @Test func importDoesNotResubscribeButAddDoes() throws {
        let store = try store()
        let address = try EmailAddress("left@example.org")
        _ = try store.add(address, name: nil)
        #expect(try store.setStatus(address, .unsubscribed))
        let report = try store.importList("left@example.org\n", path: "x.csv")
        #expect(report.added == 0 && report.alreadyPresent == 1)
        #expect(try store.count(.active) == 0)
        #expect(try store.add(address, name: nil) == .resubscribed)
        #expect(try store.count(.active) == 1)
    }

    @Test func exportReadsBackWithStatuses() throws {
        let a = try store("a")
        _ = try a.importList("address,name,status\nx@example.org,\"X, Y\",active\ny@example.org,,bounced\n", path: "in.csv")
        let exported = try a.exportCSV()
        let b = try store("b")
        let report = try b.importList(exported, path: "export.csv")
        #expect(report.problems.isEmpty && report.added == 2)
        #expect(try b.list(includeInactive: true).map { "\($0.subscriber.address) \($0.subscriber.name ?? "-") \($0.subscriber.status)" }
                == ["x@example.org X, Y active", "y@example.org - bounced"])
    }
}
