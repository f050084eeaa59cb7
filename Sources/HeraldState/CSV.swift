import Foundation
import HeraldBase

/// RFC 4180 CSV, small and forgiving where a mistake loses nothing: quoted fields may hold
/// commas, quotes ("") and line breaks, and text after a closing quote on the same line is
/// kept (`"Ana" Smith` is `Ana Smith`). Where a quote would swallow rows it is strict: a
/// record whose quoted field never ends, ends in text after spanning lines, or grows past
/// `maximumFieldBytes` is a problem at the line the field started on, and reading starts
/// again on the next line, so the rows after it are read on their own. Every record
/// remembers the line it starts on for error messages.
package enum CSV {
    /// No field of a subscriber list is anywhere near this; a longer one is a broken file.
    package static let maximumFieldBytes = 64 * 1024

    struct Record {
        let line: Int
        let fields: [String]
        /// Set when the record could not be read whole; `fields` is then empty.
        let problem: Problem?
    }

    enum Problem: Equatable, CustomStringConvertible {
        case brokenQuote
        case fieldTooLong

        var description: String {
            switch self {
            case .brokenQuote:
                "the quoted field that starts on this line is never closed properly (a closing quote is missing, "
                    + "or text follows it on a later line; a quote inside a field is written \"\"); "
                    + "the next lines are read as rows of their own"
            case .fieldTooLong:
                "a field longer than \(maximumFieldBytes / 1024) KiB starts on this line (is a closing quote missing?); "
                    + "the row is skipped"
            }
        }
    }

    static func parse(_ text: String) -> [Record] {
        var parser = CSVParser(Array(text.utf8))
        return parser.records()
    }

    /// A field as exported: control characters escaped (`ControlEscaping`: an export goes
    /// to terminals, and one record stays one line), quoted when it holds a comma or a quote.
    static func quote(_ field: String) -> String {
        let field = ControlEscaping.escaped(field)
        guard field.contains(where: { $0 == "," || $0 == "\"" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
