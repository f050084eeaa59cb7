import Foundation
import HeraldBase
import HeraldConfig
import HeraldState

/// `herald subscribers`: add, remove, list, import and export a publication's subscribers.
/// Each returns what the command prints; a failure is thrown with its exit status.
public struct ManageSubscribers {
    let state: PublicationState
    var publication: Publication { state.publication }

    public init(_ state: PublicationState) { self.state = state }

    private func store() throws -> any SubscriberStorage { try state.openStore().subscribers }
    /// nil when there is no database yet: no subscriber.
    private func readableStore() throws -> (any SubscriberStorage)? { try state.openStoreForReading()?.subscribers }

    /// `name` as given with `--name`; one that breaks `SubscriberName`'s rule is a usage error.
    public func add(_ address: EmailAddress, name: String?) throws -> String {
        let checked: SubscriberName?
        do { checked = try name.flatMap { text throws(SubscriberName.Refusal) in try SubscriberName(text) } } catch {
            throw Failure(.usage, error.description)
        }
        return switch try store().add(address, name: checked) {
        case .added: "added \(address)"
        case .alreadyActive: "\(address) is already subscribed"
        case .resubscribed: "re-subscribed \(address)"
        }
    }

    /// Kept as unsubscribed, so a later import does not re-add the address. Like `add` of
    /// an address already there, removing one that is not is no error: the list is as asked.
    public func remove(_ address: EmailAddress) throws -> String {
        guard try store().setStatus(address, .unsubscribed) else { return "\(address) is not a subscriber: nothing to remove" }
        return "removed \(address)"
    }

    /// One line per subscriber (address, name, and with `all` its status, tab-separated), or a JSON array.
    public func list(all: Bool, json: Bool) throws -> String {
        let entries = try readableStore()?.list(includeInactive: all) ?? []
        if json {
            struct Item: Encodable {
                let address: String, name: String?, status: String, created_at: Date
                enum CodingKeys: CodingKey { case address, name, status, created_at }
                // `"name": null` rather than a missing key, so every item has the same shape.
                func encode(to encoder: any Encoder) throws {
                    var c = encoder.container(keyedBy: CodingKeys.self)
                    try c.encode(address, forKey: .address)
                    try c.encode(name, forKey: .name)
                    try c.encode(status, forKey: .status)
                    try c.encode(created_at, forKey: .created_at)
                }
            }
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let items = entries.map {
                Item(
                    address: $0.subscriber.address.description, name: $0.subscriber.name,
                    status: $0.subscriber.status.rawValue, created_at: $0.createdAt)
            }
            return String(decoding: try encoder.encode(items), as: UTF8.self)
        }
        return entries.map { e in
            let s = e.subscriber
            // Names are stored as given; what reaches a terminal or a TSV has its controls escaped.
            return [s.address.description, s.name.map(ControlEscaping.escaped) ?? "", all ? s.status.rawValue : nil]
                .compactMap { $0 }.joined(separator: "\t")
        }.joined(separator: "\n")
    }

    public func export() throws -> String { try readableStore()?.exportCSV() ?? SubscriberStore.exportHeader }

    public struct ImportOutcome: Sendable {
        /// Bad rows, as `file:line: why`.
        public let problems: [String]
        public let summary: String
        /// Nothing in the file could be imported (exit 65).
        public let nothingImported: Bool
    }

    /// The largest list file read: about half a million rows of a full Mailchimp export.
    /// A list past it is refused before anything is read, with the advice to split it.
    public static let maximumImportBytes = 128 << 20

    /// `file`, or standard input for `-`, read and imported (see `importList`).
    public func importFile(_ file: String, dryRun: Bool) throws -> ImportOutcome {
        let name = file == "-" ? "stdin" : file
        let limit = Self.maximumImportBytes
        let bytes: [UInt8]
        do {
            bytes =
                file == "-"
                ? try BoundedRead.contents(descriptor: 0, limit: limit, name: name)
                : try BoundedRead.contents(of: file, limit: limit, regularOnly: false)
        } catch .tooLarge {
            throw Failure(
                .dataError,
                "\(name): larger than \(BoundedRead.size(limit)); split it into smaller files and import each "
                    + "(an import never re-adds or changes who is already there)")
        } catch .system(let error) {
            throw Failure(.ioError, "\(name): cannot read: \(error.reason)")
        } catch {
            throw Failure(.dataError, "\(name): cannot import it: \(error)")
        }
        return try importList(Data(bytes), path: name, dryRun: dryRun)
    }

    /// Bad rows are reported as file:line and skipped; the rest are imported.
    public func importList(_ data: Data, path: String, dryRun: Bool) throws -> ImportOutcome {
        guard let text = String(data: data, encoding: .utf8) else {
            throw Failure(.dataError, "\(path): cannot read it as UTF-8 text")
        }
        let report = try store().importList(text, path: path, dryRun: dryRun)
        let verb = dryRun ? "would import" : "imported"
        return ImportOutcome(
            problems: report.problems.map(\.description),
            summary: "\(verb) \(report.added), already present \(report.alreadyPresent), bad rows \(report.problems.count)",
            nothingImported: report.nothingImportable)
    }
}
