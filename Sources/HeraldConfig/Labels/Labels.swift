import Foundation

/// The words Herald says itself (digest, subscriber pages, a feed in a browser) in one
/// language: one table per language in `templates/labels/LANG.yml`, embedded at build time, so a
/// translation is a data file and needs no Swift. Templates reach them as `{{labels.KEY}}`.
package struct Labels: Sendable {
    /// The table used: `en`, `zh`, `zh-Hant`, … (see `LabelTables.table(for:)`).
    package let table: String
    package let values: [String: String]

    /// The labels for a publication's `language` (a BCP 47 tag).
    package init(language: String) {
        table = LabelTables.table(for: language)
        values = LabelTables.all[table] ?? [:]
    }

    /// A missing key shows as itself, so a template's typo is visible rather than blank.
    package subscript(_ key: String) -> String { values[key] ?? key }

    /// The label with `{name}` placeholders filled: `filled("issue", ["n": "7"])`.
    package func filled(_ key: String, _ values: [String: String]) -> String {
        values.reduce(self[key]) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
    }
}
