import Foundation

/// A configured sender or recipient, `Weekly <weekly@example.org>` or a bare address:
/// a display name and an `EmailAddress`.
public struct Mailbox: Sendable, Hashable, CustomStringConvertible {
    public let name: String?
    public let address: EmailAddress

    public init(name: String?, address: EmailAddress) {
        self.name = name
        self.address = address
    }

    /// Parses `Name <local@domain>`, `"Name" <local@domain>` or `local@domain`.
    public init(_ text: String) throws(EmailAddress.Invalid) {
        let text = text.trimmingCharacters(in: .whitespaces)
        guard let (name, inner) = Self.split(text) else {
            self.init(name: nil, address: try EmailAddress(text))
            return
        }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw EmailAddress.Invalid(input: text, reason: "the display name contains a control character")
        }
        self.init(name: name.isEmpty ? nil : name, address: try EmailAddress(inner))
    }

    /// The display name in `text` as `init(_:)` reads it, unchecked; nil for a bare address.
    /// For readers that hold names to a rule of their own.
    package static func displayName(in text: String) -> String? {
        split(text.trimmingCharacters(in: .whitespaces))?.name
    }

    /// `Name <inner>` or `"Name" <inner>` cut in two; nil when `text` has no angle brackets.
    private static func split(_ text: String) -> (name: String, inner: String)? {
        guard text.hasSuffix(">"), let open = text.lastIndex(of: "<") else { return nil }
        let inner = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        var name = text[..<open].trimmingCharacters(in: .whitespaces)
        if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") { name = String(name.dropFirst().dropLast()) }
        return (name, inner)
    }

    public var description: String { name.map { "\($0) <\(address)>" } ?? address.description }
}
