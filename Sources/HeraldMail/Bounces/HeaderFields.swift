import Foundation
import FoundationEssentials

/// A block of `Name: value` fields (RFC 5322 §2.2): a message's header, or one of the
/// blocks of a delivery-status part (RFC 3464 §2.1). Folded lines are joined; names
/// are matched without case; the first of repeated fields wins where one is asked for.
struct HeaderFields: Sendable {
    private(set) var fields: [(name: String, value: String)] = []

    /// `lines` without their line ends; reading stops at the first empty line.
    init(lines: some Sequence<Substring>) {
        for line in lines {
            if line.isEmpty { break }
            if line.first == " " || line.first == "\t" {
                if !fields.isEmpty {
                    let last = fields.count - 1
                    fields[last].value += (fields[last].value.isEmpty ? "" : " ") + line.trimmingCharacters(in: .whitespaces)
                }
                continue
            }
            // An mbox `From ` line or a stray line without a colon: not a field.
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, !name.contains(" ") else { continue }
            fields.append((name, line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
    }

    subscript(_ name: String) -> String? {
        fields.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    func all(_ name: String) -> [String] {
        fields.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }

    /// A typed field such as `Final-Recipient: rfc822; ana@example.org` without its type.
    func typedValue(_ name: String) -> String? {
        guard let value = self[name] else { return nil }
        guard let semicolon = value.firstIndex(of: ";") else { return value }
        return value[value.index(after: semicolon)...].trimmingCharacters(in: .whitespaces)
    }
}
