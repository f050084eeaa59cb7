import Foundation
import HeraldState
import HeraldTestSupport
import Testing

@testable import HeraldConfig
@testable import HeraldMail

/// The report reader against the hand-written fixtures of other MTAs' formats (shared with
/// Tests/peers/test_bounces.py), and the edge cases of MIME it must get through.
@Suite struct BounceReportReaderTests {
    static let token = SubscriptionToken("0123456789abcdef0123456789abcdef")!
    static let fixtures = Checkout.path("Tests/peers/fixtures/bounces")
    let reader = BounceReportReader(bounceAddress: try! BounceAddress("bounces@news.example.org"))

    static func fixture(_ name: String) throws -> [UInt8] {
        let text = try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
        return Array(text.replacingOccurrences(of: "%TOKEN%", with: token.description).utf8)
    }

    @Test func eximHardBounceNamesTheSubscriberByItsVERPAddress() throws {
        let report = try reader.read(Self.fixture("exim-hard.eml"))
        #expect(
            report
                == BounceReport(
                    messageID: "<E1q2w3e-000Abc-4R@mx.example.net>", kind: .hard, token: Self.token,
                    recipient: "gone@example.net", statusCode: "5.0.0",
                    detail: "550 5.1.1 <gone@example.net>: Recipient address rejected: User unknown"))
    }

    @Test func gmailHardBounceWithNestedPartsAndAFoldedDiagnostic() throws {
        let report = try reader.read(Self.fixture("gmail-hard.eml"))
        #expect(report.kind == .hard && report.statusCode == "5.1.1" && report.token == Self.token)
        #expect(report.recipient == "nobody.here@gmail.com")
        #expect(report.detail?.hasPrefix("550-5.1.1 The email account that you tried to reach does not exist. Please try") == true)
        #expect(report.messageID == "<6565a1b8.050a0220.1a2b3.0bfeGMR@mx.google.com>")
    }

    @Test func microsoftDelayWithCRLFAndABase64StatusPartIsSoft() throws {
        let report = try reader.read(Self.fixture("microsoft-delayed.eml"))
        #expect(report.kind == .soft && report.statusCode == "4.4.7" && report.token == Self.token)
        #expect(report.recipient == "full.mailbox@contoso.example")
        #expect(report.messageID == "<4f1c2d3e-5a6b-7c8d-9e0f-a1b2c3d4e5f6@AM8PR04MB7779.eurprd04.prod.outlook.com>")
    }

    @Test func abuseReportFindsTheTokenInTheOriginalsListUnsubscribe() throws {
        let report = try reader.read(Self.fixture("arf-abuse.eml"))
        #expect(
            report
                == BounceReport(
                    messageID: "<fbl.20261201112001.7f3a@hotmail.example>", kind: .complaint, token: Self.token,
                    recipient: "<reader@hotmail.example>", statusCode: "abuse", detail: "SomeGenerator/1.0"))
    }

    @Test func abuseReportWithTheVERPSenderInOriginalMailFrom() throws {
        let text = try String(decoding: Self.fixture("arf-abuse.eml"), as: UTF8.self)
            .replacingOccurrences(of: "Version: 1\n", with: "Version: 1\nOriginal-Mail-From: <bounces+\(Self.token)@news.example.org>\n")
            .replacingOccurrences(of: "token=\(Self.token)", with: "id=1")
        let report = try reader.read(Array(text.utf8))
        #expect(report.kind == .complaint && report.token == Self.token)
        // Another feedback type asks for nothing.
        let notSpam = text.replacingOccurrences(of: "Feedback-Type: abuse", with: "Feedback-Type: not-spam")
        #expect(try reader.read(Array(notSpam.utf8)).kind == .other)
    }

    @Test func anAutoReplyIsNotAReport() throws {
        #expect(
            throws: UnreadableReport(
                "not a bounce or abuse report: its Content-Type is text/plain, not multipart/report (RFC 3464, RFC 5965)")
        ) {
            try reader.read(Self.fixture("out-of-office.eml"))
        }
        #expect(throws: UnreadableReport("not a mail message: it has no header fields")) { try reader.read(Array("\n\nhello".utf8)) }
    }

    @Test func aReportForSomeoneElsesMailNamesNoSubscriber() throws {
        let foreign = try String(decoding: Self.fixture("exim-hard.eml"), as: UTF8.self)
            .replacingOccurrences(of: "bounces+\(Self.token)@news.example.org", with: "owner@other.example")
            .replacingOccurrences(of: "token=\(Self.token)", with: "id=42")
        #expect(throws: UnreadableReport.self) { try reader.read(Array(foreign.utf8)) }
        // The VERP address of another domain, or a token that is not one, names nobody either.
        let otherDomain = try String(decoding: Self.fixture("exim-hard.eml"), as: UTF8.self)
            .replacingOccurrences(of: "@news.example.org", with: "@news.example.net")
            .replacingOccurrences(of: "token=\(Self.token)", with: "id=42")
        #expect(throws: UnreadableReport.self) { try reader.read(Array(otherDomain.utf8)) }
    }

    @Test func classificationFollowsActionAndStatus() {
        func kind(_ action: String, _ status: String?) -> BounceReport.Kind {
            var lines = ["Action: \(action)"]
            if let status { lines.append("Status: \(status) (comment)") }
            return DeliveryStatusFields(HeaderFields(lines: lines.map { Substring($0) })).kind
        }
        #expect(kind("failed", "5.1.1") == .hard)
        #expect(kind("failed", "4.4.1") == .soft) // a queue that gave up on a temporary failure
        #expect(kind("delayed", "4.4.7") == .soft)
        #expect(kind("delivered", "2.0.0") == .other)
        #expect(kind("relayed", "2.0.0") == .other)
        #expect(kind("Failed", nil) == .hard)
    }

    @Test func withoutABounceAddressOnlyTheUnsubscribeLinkNamesTheSubscriber() throws {
        let plain = BounceReportReader(bounceAddress: nil)
        #expect(try plain.read(Self.fixture("exim-hard.eml")).token == Self.token)
        #expect(throws: UnreadableReport.self) { try plain.read(Self.fixture("microsoft-delayed.eml")) }
    }

    @Test func aReportWithoutMessageIDGetsOneFromItsBytes() throws {
        let text = try String(decoding: Self.fixture("exim-hard.eml"), as: UTF8.self)
            .replacingOccurrences(of: "Message-Id: <E1q2w3e-000Abc-4R@mx.example.net>\n", with: "")
        let first = try reader.read(Array(text.utf8)).messageID
        let second = try reader.read(Array(text.utf8)).messageID
        #expect(first.hasPrefix("<sha256.") && first == second)
    }

    @Test func quotedPrintableDecodes() {
        #expect(QuotedPrintable.decode("caf=C3=A9 =\nau lait=3D1 =ZZ") == "café au lait=1 =ZZ")
    }

    @Test func verpAddressesRoundTrip() throws {
        let bounce = try BounceAddress("Bounces@News.Example.org")
        let envelope = bounce.envelope(token: Self.token.description)
        #expect(envelope == "Bounces+\(Self.token)@news.example.org")
        #expect(bounce.token(in: "<bounces+\(Self.token)@NEWS.example.org>") == Self.token.description)
        #expect(bounce.token(in: "bounces@news.example.org") == nil && bounce.token(in: "other+x@news.example.org") == nil)
        #expect(throws: ConfigValueError.self) { try BounceAddress("bounces+x@news.example.org") }
        #expect(throws: ConfigValueError.self) { try BounceAddress(String(repeating: "b", count: 32) + "@news.example.org") }
    }
}
