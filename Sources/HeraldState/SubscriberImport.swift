import Foundation
import HeraldBase

/// Subscribers read from what communities export from the tools they use now: a CSV with
/// a header (Mailchimp's `Email Address`, `First Name`, `Last Name`; listmonk's `email`,
/// `name`, `status`; Herald's own `address,name,status`), a CSV of bare
/// `address[,name[,status]]` rows, or one mailbox a line (`"Ana" <ana@example.org>`,
/// `Ana <ana@example.org>`, `ana@example.org`). Every row that cannot be read, or whose
/// name breaks `SubscriberName`'s rule, is a problem naming its line; the rest are candidates.
/// A problem echoes what it refuses cut short (`EchoedValue`), never a whole field.
package struct SubscriberImport {
    package struct Candidate: Sendable {
        package let address: EmailAddress
        package let name: SubscriberName?
        package let status: Subscriber.Status
        package var consents: [ImportedConsent] = []
    }

    /// `imported from FILE (Mailchimp)`: what the consent records of this import say as their source.
    package var source: String { "imported from \(path) (\(tool.rawValue))" }
    private var tool: Columns.Tool = .csv

    package private(set) var candidates: [Candidate] = []
    package private(set) var problems: [SourceProblem] = []
    /// Rows naming a person already named earlier in the file.
    package private(set) var repeats = 0

    private var seen: Set<String> = []
    private let path: String

    package init(_ text: String, path: String) {
        self.path = path
        let text = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        var records: [CSV.Record] = []
        for record in CSV.parse(text) {
            if let broken = record.problem {
                problem(record.line, broken.description)
            } else if !record.fields.allSatisfy({ $0.trimmingWhitespace.isEmpty }) {
                records.append(record)
            }
        }
        guard let first = records.first else { return }
        if let columns = Columns(header: first.fields) {
            tool = columns.tool
            for record in records.dropFirst() { read(record, columns) }
        } else if records.allSatisfy({ $0.fields.count == 1 }) {
            for record in records where !record.fields[0].trimmingWhitespace.hasPrefix("#") { readMailbox(record) }
        } else {
            for record in records { read(record, Columns.bare) }
        }
        problems = problems.sortedByLocation()
    }

    /// Which field holds what.
    private struct Columns {
        var address: Int
        var name: Int? = nil
        var firstName: Int? = nil
        var lastName: Int? = nil
        var status: Int? = nil
        /// Consent evidence: Mailchimp's, listmonk's, Herald's own export's.
        var optinTime: Int? = nil, optinIP: Int? = nil, confirmTime: Int? = nil, confirmIP: Int? = nil
        var createdAt: Int? = nil
        var consentAt: Int? = nil, consentClient: Int? = nil, consentUserAgent: Int? = nil, consentPage: Int? = nil
        var consentSource: Int? = nil, requestedAt: Int? = nil, requestedClient: Int? = nil
        var tool = Tool.csv

        enum Tool: String {
            case herald = "Herald"
            case mailchimp = "Mailchimp"
            case listmonk = "listmonk"
            case csv = "CSV"
        }

        static let bare = Columns(address: 0, name: 1, status: 2)
        static let addressHeaders: Set<String> = ["address", "email", "e-mail", "email address", "e-mail address", "mail"]

        init(address: Int, name: Int? = nil, status: Int? = nil) {
            self.address = address
            self.name = name
            self.status = status
        }

        init?(header: [String]) {
            let names = header.map { $0.trimmingWhitespace.lowercased() }
            guard let address = names.firstIndex(where: Self.addressHeaders.contains) else { return nil }
            self.address = address
            name = names.firstIndex(where: { $0 == "name" || $0 == "full name" })
            firstName = names.firstIndex(of: "first name")
            lastName = names.firstIndex(of: "last name")
            status = names.firstIndex(of: "status")
            optinTime = names.firstIndex(of: "optin_time")
            optinIP = names.firstIndex(of: "optin_ip")
            confirmTime = names.firstIndex(of: "confirm_time")
            confirmIP = names.firstIndex(of: "confirm_ip")
            consentAt = names.firstIndex(of: "consent_at")
            consentClient = names.firstIndex(of: "consent_client")
            consentUserAgent = names.firstIndex(of: "consent_user_agent")
            consentPage = names.firstIndex(of: "consent_page")
            consentSource = names.firstIndex(of: "consent_source")
            requestedAt = names.firstIndex(of: "requested_at")
            requestedClient = names.firstIndex(of: "requested_client")
            tool =
                if names.contains("email address") || optinTime != nil || confirmTime != nil {
                    .mailchimp
                } else if names.contains("uuid") || names.contains("attributes") {
                    .listmonk
                } else if names.contains("address") && consentAt != nil { .herald } else { .csv }
            // listmonk's created_at is when the subscriber joined: the request, not a confirmation.
            if tool == .listmonk { createdAt = names.firstIndex(of: "created_at") }
        }
    }

    private mutating func read(_ record: CSV.Record, _ columns: Columns) {
        let fields = record.fields
        func field(_ index: Int?) -> String? {
            guard let index, index < fields.count else { return nil }
            let value = fields[index].trimmingWhitespace
            return value.isEmpty ? nil : value
        }
        guard let raw = field(columns.address) else { return problem(record.line, "no address in this row") }
        let address: EmailAddress
        do { address = try EmailAddress(raw) } catch { return problem(record.line, error.description) }
        let name: SubscriberName?
        do { name = try Self.name(fields, columns) } catch { return problem(record.line, error.description) }
        var status = Subscriber.Status.active
        if let text = field(columns.status) {
            guard let mapped = Self.status(text) else {
                return problem(
                    record.line,
                    "status \(EchoedValue.quoted(text)) is not one of active, unsubscribed, bounced "
                        + "(or subscribed, enabled, blocklisted, cleaned from other tools)")
            }
            status = mapped
        }
        var consents: [ImportedConsent] = []
        func time(_ index: Int?, _ what: String) throws(RowProblem) -> Date? {
            guard let text = field(index) else { return nil }
            guard let date = ExportedTime.parse(text) else {
                throw RowProblem(
                    message: "\(what) \(EchoedValue.quoted(text)) is not a date and time such as 2024-01-31 09:30:00 "
                        + "(UTC unless it has an offset)")
            }
            return date
        }
        do throws(RowProblem) {
            if let at = try time(columns.optinTime, "OPTIN_TIME") {
                consents.append(ImportedConsent(action: .requested, at: at, client: field(columns.optinIP)))
            }
            if let at = try time(columns.requestedAt, "requested_at") {
                consents.append(ImportedConsent(action: .requested, at: at, client: field(columns.requestedClient)))
            }
            if let at = try time(columns.createdAt, "created_at") { consents.append(ImportedConsent(action: .requested, at: at)) }
            if let at = try time(columns.confirmTime, "CONFIRM_TIME") {
                consents.append(ImportedConsent(action: .confirmed, at: at, client: field(columns.confirmIP)))
            }
            if let at = try time(columns.consentAt, "consent_at") {
                consents.append(
                    ImportedConsent(
                        action: .confirmed, at: at, client: field(columns.consentClient),
                        userAgent: field(columns.consentUserAgent), page: field(columns.consentPage),
                        source: field(columns.consentSource)))
            }
        } catch { return problem(record.line, error.message) }
        add(Candidate(address: address, name: name, status: status, consents: consents))
    }

    private struct RowProblem: Error { let message: String }

    /// The name column, else first and last name joined in their script's order (`NameOrder`); each by the name rule.
    private static func name(_ fields: [String], _ columns: Columns) throws(SubscriberName.Refusal) -> SubscriberName? {
        func name(_ index: Int?) throws(SubscriberName.Refusal) -> SubscriberName? {
            guard let index, index < fields.count else { return nil }
            return try SubscriberName(fields[index])
        }
        if let name = try name(columns.name) { return name }
        let given = try name(columns.firstName)?.description
        let family = try name(columns.lastName)?.description
        return try SubscriberName(NameOrder.joined(given: given, family: family))
    }

    private mutating func readMailbox(_ record: CSV.Record) {
        do {
            // The name by its rule first: Mailbox's own check would echo the whole line.
            let name = try Mailbox.displayName(in: record.fields[0]).flatMap { text throws(SubscriberName.Refusal) in
                try SubscriberName(text)
            }
            let mailbox = try Mailbox(record.fields[0])
            add(Candidate(address: mailbox.address, name: name, status: .active))
        } catch {
            problem(record.line, "\(error)")
        }
    }

    private mutating func add(_ candidate: Candidate) {
        guard seen.insert(candidate.address.key).inserted else {
            repeats += 1
            return
        }
        candidates.append(candidate)
    }

    private mutating func problem(_ line: Int, _ message: String) {
        problems.append(SourceProblem(path: path, line: line, message: message))
    }

    /// Herald's statuses and what Mailchimp and listmonk call them.
    private static func status(_ text: String) -> Subscriber.Status? {
        switch text.lowercased() {
        case "active", "subscribed", "enabled", "confirmed": .active
        case "unsubscribed", "blocklisted", "blacklisted", "disabled": .unsubscribed
        case "bounced", "cleaned": .bounced
        default: nil
        }
    }
}

extension String {
    fileprivate var trimmingWhitespace: String { Whitespace.trimmed(self) }
}
