import HeraldState

/// The per-recipient fields of a delivery status notification (RFC 3464 §2.3), and what
/// they mean for the subscriber: permanent, temporary, or nothing to do.
struct DeliveryStatusFields: Sendable {
    let finalRecipient: String?
    let originalRecipient: String?
    /// `failed`, `delayed`, `delivered`, `relayed` or `expanded`, lower-cased.
    let action: String
    /// The status code without its comment: `5.1.1`.
    let status: String?
    let diagnostic: String?

    /// The per-recipient blocks of a `message/delivery-status` body: the blocks after the
    /// first (per-message) one that say something about a recipient.
    static func recipients(in body: String) -> [DeliveryStatusFields] {
        var blocks: [[Substring]] = [[]]
        for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.allSatisfy(\.isWhitespace) {
                if !blocks[blocks.count - 1].isEmpty { blocks.append([]) }
            } else {
                blocks[blocks.count - 1].append(line)
            }
        }
        return blocks.dropFirst().compactMap { lines in
            let fields = HeaderFields(lines: lines)
            guard fields["Action"] != nil || fields["Final-Recipient"] != nil else { return nil }
            return DeliveryStatusFields(fields)
        }
    }

    init(_ fields: HeaderFields) {
        finalRecipient = fields.typedValue("Final-Recipient")
        originalRecipient = fields.typedValue("Original-Recipient")
        action = (fields["Action"] ?? "").lowercased()
        status = fields["Status"].flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "(" }).first.map(String.init) }
        diagnostic = fields.typedValue("Diagnostic-Code")
    }

    /// Hard: 5.x.x with `Action: failed`. Soft: 4.x.x, or `delayed`, or a failure with a
    /// temporary status (a queue that gave up). Anything else (delivered, relayed) asks for nothing.
    var kind: BounceKind {
        let permanent = status?.hasPrefix("5") == true
        let temporary = status?.hasPrefix("4") == true
        switch action {
        case "failed" where permanent || status == nil: return .hard
        case "failed", "delayed": return .soft
        default: return temporary ? .soft : .other
        }
    }
}
