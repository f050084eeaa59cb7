/// The day of a `monthly` schedule: 1 … 28, which every month has, or the month's last day.
/// Days 29–31 are refused rather than moved, so no month is skipped or served twice.
public enum DayOfMonth: Sendable, Equatable, CustomStringConvertible {
    case day(Int)
    case last

    public static let latestFixed = 28

    /// `1` … `28` or `last`; nil for anything else.
    public init?(_ word: String) {
        if word.lowercased() == "last" {
            self = .last
        } else if word.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }), word.count <= 2,
            let day = Int(word), (1...Self.latestFixed).contains(day)
        {
            self = .day(day)
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .day(let day): String(day)
        case .last: "last"
        }
    }
}
