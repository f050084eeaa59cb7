import Foundation

/// The words Herald says itself (digest, subscriber pages, a feed in a browser) in one
/// language: one table per language in `templates/labels/LANG.yml`, embedded at build time, so a
/// translation is a data file and needs no Swift. Templates reach them as `{{labels.KEY}}`.
///
/// What the digest is called follows `digest.schedule`: every `{digest}` in a table is
/// replaced here by its `digest_daily`, `digest_weekly`, `digest_monthly` or `digest_manual`
/// word, so no page promises a weekly that comes every day, and no `{digest}` reaches a reader.
package struct Labels: Sendable {
    /// The table used: `en`, `zh`, `zh-Hant`, … (see `LabelTables.table(for:)`).
    package let table: String
    package let values: [String: String]

    /// The labels for a publication: its `language`, its schedule's word for the digest.
    package init(for publication: Publication) {
        self.init(language: publication.language, schedule: publication.digest.schedule.kind)
    }

    /// The labels for a BCP 47 tag and a schedule.
    package init(language: String, schedule: DigestSchedule.Kind) {
        table = LabelTables.table(for: language)
        let raw = LabelTables.named(table) ?? [:]
        let key = Self.digestKey(schedule)
        let word = raw[key] ?? LabelTables.named(LabelTables.fallback)?[key] ?? "digest"
        // The standard library's replacing (Foundation's copies every value through NSString),
        // only where a placeholder may be: it is generic and costly per call.
        values = raw.mapValues { $0.utf8.contains(UInt8(ascii: "{")) ? $0.replacing("{digest}", with: word) : $0 }
    }

    /// The key of the word for the digest on this schedule.
    package static func digestKey(_ schedule: DigestSchedule.Kind) -> String {
        switch schedule {
        case .manual: "digest_manual"
        case .daily: "digest_daily"
        case .weekly: "digest_weekly"
        case .monthly: "digest_monthly"
        }
    }

    /// A missing key shows as itself, so a template's typo is visible rather than blank.
    package subscript(_ key: String) -> String { values[key] ?? key }

    /// The label with `{name}` placeholders filled: `filled("issue", ["n": "7"])`.
    package func filled(_ key: String, _ values: [String: String]) -> String {
        values.reduce(self[key]) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
    }
}
