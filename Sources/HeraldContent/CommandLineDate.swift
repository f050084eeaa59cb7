import Foundation

/// A date given on the command line, in the same forms as a post's front matter: a day
/// (midnight in the time zone), a local date-time, or RFC 3339 with an offset.
public enum CommandLineDate {
    public static func parse(_ raw: String, timeZone: TimeZone) -> Date? {
        try? PostDate.parse(raw, timeZone: timeZone).date
    }
}
