/// A value from an input file or a command line, as a message echoes it: its control
/// characters escaped (`ControlEscaping`) and at most `length` characters of that, then `…`
/// if there was more. Enough to recognise a row; a field of megabytes is never echoed whole,
/// and nothing echoed can move a terminal's cursor or start a new log line.
package enum EchoedValue {
    package static let length = 80

    package static func shown(_ text: String, length: Int = EchoedValue.length) -> String {
        var shown = ""
        var count = 0
        for character in text {
            let piece = ControlEscaping.escaped(String(character))
            count += piece.count
            if count > length { return shown + "…" }
            shown += piece
        }
        return shown
    }

    /// `shown`, in double quotes.
    package static func quoted(_ text: String, length: Int = EchoedValue.length) -> String {
        "\"" + shown(text, length: length) + "\""
    }
}
