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
        guard text.hasSuffix(">"), let open = text.lastIndex(of: "<") else {
            self.init(name: nil, address: try EmailAddress(text))
            return
        }
        let inner = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        var name = text[..<open].trimmingCharacters(in: .whitespaces)
        if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") { name = String(name.dropFirst().dropLast()) }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw EmailAddress.Invalid(input: text, reason: "the display name contains a control character")
        }
        self.init(name: name.isEmpty ? nil : name, address: try EmailAddress(inner))
    }

    public var description: String { name.map { "\($0) <\(address)>" } ?? address.description }
}
