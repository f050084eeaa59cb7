import HeraldBase

/// How a subscriber wants to be addressed, as the web form, `herald subscribers add --name`
/// and every import take it: one line of at most 100 characters, with no control character
/// (C0, DEL, C1: CR, LF, tab, ESC, NUL among them) anywhere; spaces and tabs around it are
/// trimmed first, and nothing left is no name. A value of this type keeps that rule.
public struct SubscriberName: Sendable, Hashable, CustomStringConvertible {
    public static let maximumLength = 100

    /// The name, trimmed.
    public let description: String

    /// Nil when `text` holds no name (empty, or spaces only); throws when it breaks the rule.
    public init?(_ text: String) throws(Refusal) {
        let trimmed = Self.trimmed(text)
        if trimmed.isEmpty { return nil }
        // Measured without counting past the limit, so a huge name costs no more than a long one.
        if !trimmed.dropFirst(Self.maximumLength).isEmpty { throw Refusal(.tooLong, trimmed) }
        if let control = trimmed.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) {
            throw Refusal(.controlCharacter(control), trimmed)
        }
        description = trimmed
    }

    /// Spaces (Unicode Zs) and tabs off both ends; line breaks stay, to be refused.
    private static func trimmed(_ text: String) -> String {
        func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
            let last = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        if first == scalars.startIndex, last == scalars.index(before: scalars.endIndex) { return text }
        return String(scalars[first...last])
    }

    /// A name that breaks the rule, said so that the message can go to a terminal or a log:
    /// the name cut short and its control characters escaped.
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public enum Reason: Sendable, Equatable {
            case tooLong
            case controlCharacter(Unicode.Scalar)
        }

        public let reason: Reason
        /// The start of the name, its controls escaped (`ControlEscaping`), at most
        /// `shownLength` characters, then `…` if there was more.
        public let shown: String

        /// Enough to recognise a row; a name of megabytes is never echoed whole.
        public static let shownLength = 80

        init(_ reason: Reason, _ name: String) {
            self.reason = reason
            shown = EchoedValue.shown(name, length: Self.shownLength)
        }

        public var description: String {
            let what =
                switch reason {
                case .tooLong: "is longer than \(SubscriberName.maximumLength) characters"
                case .controlCharacter(let scalar): "contains the control character U+\(Self.hex(scalar))"
                }
            return "name \"\(shown)\" \(what); a name is one line of at most \(SubscriberName.maximumLength) characters, "
                + "without control characters"
        }

        private static func hex(_ scalar: Unicode.Scalar) -> String {
            let digits = String(scalar.value, radix: 16, uppercase: true)
            return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        }
    }
}
