import Foundation
import HeraldBase

/// A publication's subscribers, whichever database keeps them: `SubscriberStore` (SQLite)
/// or `PostgresSubscriberStore`. Removing keeps the row as `unsubscribed`, so a later bulk
/// import cannot silently re-subscribe someone who left. The value types are
/// `SubscriberStore`'s, so both backends answer alike.
public protocol SubscriberStorage: Sendable {
    /// `herald subscribers add`: an explicit request, so it also re-activates.
    func add(_ address: EmailAddress, name: SubscriberName?, now: Date) throws -> SubscriberStore.AddOutcome
    /// Sets the status; false when the address is not known.
    func setStatus(_ address: EmailAddress, _ status: Subscriber.Status, now: Date) throws -> Bool
    func list(includeInactive: Bool) throws -> [SubscriberStore.Entry]
    func count(_ status: Subscriber.Status) throws -> Int
    /// Imports a list in one transaction (see `SubscriberStore.importList`).
    func importList(_ text: String, path: String, dryRun: Bool, now: Date) throws -> SubscriberStore.ImportReport
    /// Every subscriber as CSV that `importList` reads back (see `SubscriberStore.exportHeader`).
    func exportCSV() throws -> String
}

extension SubscriberStorage {
    public func add(_ address: EmailAddress, name: SubscriberName?) throws -> SubscriberStore.AddOutcome {
        try add(address, name: name, now: Date())
    }

    @discardableResult
    public func setStatus(_ address: EmailAddress, _ status: Subscriber.Status) throws -> Bool {
        try setStatus(address, status, now: Date())
    }

    public func list() throws -> [SubscriberStore.Entry] { try list(includeInactive: false) }

    public func importList(_ text: String, path: String, dryRun: Bool = false) throws -> SubscriberStore.ImportReport {
        try importList(text, path: path, dryRun: dryRun, now: Date())
    }
}
