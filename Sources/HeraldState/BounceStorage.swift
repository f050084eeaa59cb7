import Foundation

/// Bounce and complaint reports applied to the subscribers, whichever database keeps them:
/// `BounceJournal` (SQLite) or `PostgresBounceJournal`. A report already journaled changes
/// nothing. The value types are `BounceJournal`'s.
public protocol BounceStorage: Sendable {
    func apply(_ report: BounceReport, rules: BounceJournal.Rules, now: Date) throws -> BounceJournal.Outcome
}

extension BounceStorage {
    public func apply(_ report: BounceReport, rules: BounceJournal.Rules) throws -> BounceJournal.Outcome {
        try apply(report, rules: rules, now: Date())
    }
}
