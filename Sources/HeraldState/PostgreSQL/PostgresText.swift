/// Text as a PostgreSQL `text` column can hold it. PostgreSQL refuses U+0000 in text
/// (SQLite keeps it), and a value from outside (a user agent, a bounce report's detail, an
/// imported consent's page, a feed's entry id) may carry one: it is stored as U+FFFD, so
/// the row is kept, and what is read back shows where the NUL was.
enum PostgresText {
    static func storable(_ text: String) -> String {
        guard text.utf8.contains(0) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == "\0" ? "\u{FFFD}" : $0 }))
    }

    static func storable(_ text: String?) -> String? { text.map(storable) }
}
