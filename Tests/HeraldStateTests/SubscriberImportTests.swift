import Foundation
import HeraldBase
import HeraldState
import HeraldTestSupport
import Testing

@Suite struct SubscriberImportTests {
    /// Every state made, kept until the suite's value goes away.
    final class Made: @unchecked Sendable { var states: [TestStore] = [] }
    let made = Made()

    /// A fresh, empty state of `backend`.
    func store(_ backend: Backend) throws -> any SubscriberStorage {
        let state = try TestStore(backend)
        made.states.append(state)
        return state.subscribers
    }

    @Test(arguments: Backend.all) func badRowsAreReportedWithTheirLineAndTheRestImported(_ backend: Backend) throws {
        let store = try store(backend)
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
        #expect(
            report.problems.map(\.description) == [
                "people.csv:3: \"not-an-address\" is not a valid address (no @)",
                "people.csv:5: name \"line one\\nline two\" contains the control character U+000A; "
                    + "a name is one line of at most 100 characters, without control characters",
                "people.csv:7: \"bad@@x\" is not a valid address (\"@\" is not allowed in the local part)",
            ])
        #expect(report.added == 2)
        #expect(try store.list().map(\.subscriber.address.description) == ["ana@example.org", "bo@x.org"])
        #expect(try store.list().map(\.subscriber.name) == ["Ana", "Bo, Jr."])
    }

    @Test(arguments: Backend.all) func aRowWhoseNameBreaksTheRuleIsABadRowInEveryFormat(_ backend: Backend) throws {
        // Under CSV.maximumFieldBytes, so the name rule is what refuses it (a longer field is refused by CSV).
        let huge = String(repeating: "x", count: 60_000)
        let herald =
            "address,name,status\nana@example.org,Ana,active\nesc@example.org,\"Eve\u{1B}[31m\",active\n"
            + "bo@example.org,  Bo  ,active\nlong@example.org,\(huge),active\n"
        let mailchimp =
            "\"Email Address\",\"First Name\",\"Last Name\"\nana@example.org,Ana,Lima\n"
            + "nul@example.org,Nul,\"x\u{0}y\"\nbo@example.org,,Bo\n"
        let listmonk = "uuid,email,name,status\na1,ana@example.org,Ana,enabled\nb2,cr@example.org,\"Cr\ry\",enabled\n"
        let mailboxes = "\"小明\" <ming@example.org>\n\"\(huge)\" <long@example.org>\nAna <ana@example.org>\n"
        let cases: [(text: String, line: Int, names: [String?])] = [
            (herald, 3, ["Ana", "Bo"]), (mailchimp, 3, ["Ana Lima", "Bo"]), (listmonk, 3, ["Ana"]), (mailboxes, 2, ["小明", "Ana"]),
        ]
        for (text, line, names) in cases {
            let store = try store(backend)
            let report = try store.importList(text, path: "in.csv")
            let problems = report.problems.map(\.description)
            #expect(problems.first?.hasPrefix("in.csv:\(line): name \"") == true, "\(problems)")
            #expect(problems.allSatisfy { $0.count < 250 }, "the refused value is cut short")
            #expect(report.added == names.count)
            #expect(try store.list().map(\.subscriber.name) == names)
        }
        let problems = try store(backend).importList(herald, path: "in.csv").problems
        #expect(problems.map(\.line) == [3, 5])
        #expect(problems.first?.message.contains("Eve\\x1b[31m") == true && problems.last?.message.contains("longer than 100") == true)
    }

    @Test(arguments: Backend.all) func oneSubscriberPerPersonLocalPartKeptAsWritten(_ backend: Backend) throws {
        let store = try store(backend)
        #expect(try store.add(EmailAddress("Ana@Bücher.Example"), name: nil) == .added)
        #expect(try store.add(EmailAddress("ana@xn--bcher-kva.example"), name: nil) == .alreadyActive)
        #expect(try store.add(EmailAddress("ana@bücher.example"), name: nil) == .alreadyActive)
        #expect(try store.list().map(\.subscriber.address.description) == ["Ana@bücher.example"])
        #expect(try store.setStatus(EmailAddress("ANA@BÜCHER.EXAMPLE"), .unsubscribed))
    }

    @Test(arguments: Backend.all) func importDoesNotResubscribeButAddDoes(_ backend: Backend) throws {
        let store = try store(backend)
        let address = try EmailAddress("left@example.org")
        _ = try store.add(address, name: nil)
        #expect(try store.setStatus(address, .unsubscribed))
        let report = try store.importList("left@example.org\n", path: "x.csv")
        #expect(report.added == 0 && report.alreadyPresent == 1)
        #expect(try store.count(.active) == 0)
        #expect(try store.add(address, name: nil) == .resubscribed)
        #expect(try store.count(.active) == 1)
    }

    @Test(arguments: Backend.all) func exportReadsBackWithStatuses(_ backend: Backend) throws {
        let a = try store(backend)
        _ = try a.importList("address,name,status\nx@example.org,\"X, Y\",active\ny@example.org,,bounced\n", path: "in.csv")
        let exported = try a.exportCSV()
        let b = try store(backend)
        let report = try b.importList(exported, path: "export.csv")
        #expect(report.problems.isEmpty && report.added == 2)
        #expect(
            try b.list(includeInactive: true).map { "\($0.subscriber.address) \($0.subscriber.name ?? "-") \($0.subscriber.status)" }
                == ["x@example.org X, Y active", "y@example.org - bounced"])
    }
}
