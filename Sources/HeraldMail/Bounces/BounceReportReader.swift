import Crypto
import Foundation
import HeraldBase
import HeraldConfig
import HeraldState

typealias BounceKind = BounceReport.Kind

/// Reads one message that came back to the bounce address: a delivery status notification
/// (RFC 3464, `multipart/report; report-type=delivery-status`) or an abuse report (RFC 5965
/// ARF, `report-type=feedback-report`), and finds whose subscription it is about: the
/// token in the VERP address it was sent to (`bounces+TOKEN@…`), else the token in the
/// returned message's Return-Path or List-Unsubscribe.
public struct BounceReportReader: Sendable {
    let bounceAddress: BounceAddress?

    public init(bounceAddress: BounceAddress?) { self.bounceAddress = bounceAddress }

    /// Fields of the report that may carry the VERP address it was delivered to.
    static let addressFields = ["Delivered-To", "X-Original-To", "Envelope-To", "To", "Return-Path"]
    static let statusTypes: Set = ["message/delivery-status", "message/global-delivery-status"]
    static let returnedTypes: Set = ["message/rfc822", "text/rfc822-headers", "message/global", "message/global-headers"]

    public func read(_ bytes: [UInt8]) throws(UnreadableReport) -> BounceReport {
        let message = ReceivedMessage(bytes)
        guard !message.header.fields.isEmpty else { throw UnreadableReport("not a mail message: it has no header fields") }
        let type = message.contentType
        guard type.mediaType == "multipart/report" else {
            throw UnreadableReport(
                "not a bounce or abuse report: its Content-Type is \(type.mediaType), not multipart/report (RFC 3464, RFC 5965)")
        }
        let parts = message.parts
        let returned = parts.first { Self.returnedTypes.contains($0.contentType.mediaType) }?.enclosed
        let messageID = Self.messageID(message, bytes)
        if let status = parts.first(where: { Self.statusTypes.contains($0.contentType.mediaType) }) {
            return try deliveryStatus(status, of: message, returned: returned, messageID: messageID)
        }
        if let feedback = parts.first(where: { $0.contentType.mediaType == "message/feedback-report" }) {
            return try feedbackReport(feedback, of: message, returned: returned, messageID: messageID)
        }
        let reportType = type.parameters["report-type"] ?? "none"
        throw UnreadableReport(
            "a multipart/report (report-type=\(reportType)) with neither a message/delivery-status "
                + "nor a message/feedback-report part")
    }

    private func deliveryStatus(
        _ part: ReceivedMessage, of message: ReceivedMessage, returned: ReceivedMessage?,
        messageID: String
    ) throws(UnreadableReport) -> BounceReport {
        let recipients = DeliveryStatusFields.recipients(in: part.body)
        // One recipient per digest message; should a report list several, the gravest counts.
        guard
            let recipient = recipients.first(where: { $0.kind == .hard }) ?? recipients.first(where: { $0.kind == .soft })
                ?? recipients.first
        else {
            throw UnreadableReport("a delivery status notification without per-recipient fields (Final-Recipient, Action, Status)")
        }
        let token = try subscriberToken(message, returned: returned, extra: [])
        return BounceReport(
            messageID: messageID, kind: recipient.kind, token: token,
            recipient: recipient.originalRecipient ?? recipient.finalRecipient,
            statusCode: recipient.status ?? recipient.action, detail: recipient.diagnostic.map(Self.short))
    }

    private func feedbackReport(
        _ part: ReceivedMessage, of message: ReceivedMessage, returned: ReceivedMessage?,
        messageID: String
    ) throws(UnreadableReport) -> BounceReport {
        let fields = HeaderFields(lines: part.body.split(separator: "\n", omittingEmptySubsequences: false))
        guard let type = fields["Feedback-Type"]?.lowercased() else {
            throw UnreadableReport("an abuse report (message/feedback-report) without a Feedback-Type field")
        }
        let token = try subscriberToken(message, returned: returned, extra: fields.all("Original-Mail-From"))
        let recipient = fields["Original-Rcpt-To"] ?? returned?.header["To"]
        let agent = [fields["User-Agent"], fields["Reporting-MTA"]].compactMap { $0 }.first
        return BounceReport(
            messageID: messageID, kind: type == "abuse" ? .complaint : .other, token: token,
            recipient: recipient, statusCode: type, detail: agent.map(Self.short))
    }

    /// The subscription's token: VERP first (it is what the report was sent to), then the
    /// returned message's own envelope sender or unsubscribe link.
    private func subscriberToken(
        _ message: ReceivedMessage, returned: ReceivedMessage?,
        extra: [String]
    ) throws(UnreadableReport) -> SubscriptionToken {
        if let bounceAddress {
            let addresses =
                extra + Self.addressFields.flatMap { message.header.all($0) }
                + (returned?.header.all("Return-Path") ?? [])
            for field in addresses {
                for address in Self.addresses(in: field) {
                    if let token = bounceAddress.token(in: address).flatMap(SubscriptionToken.init) { return token }
                }
            }
        }
        for field in returned?.header.all("List-Unsubscribe") ?? [] {
            if let token = Self.token(in: field) { return token }
        }
        let verp =
            bounceAddress.map {
                "no \($0.address.localPart)+TOKEN@\($0.address.domain) address in \(Self.addressFields.joined(separator: ", ")), and "
            } ?? ""
        throw UnreadableReport("the report names no subscriber: \(verp)no token in the returned message's List-Unsubscribe")
    }

    /// The addresses in a field such as `Ana <a@x.org>, b@y.org` or `<a@x.org>`.
    static func addresses(in field: String) -> [String] {
        field.split(separator: ",").map { item in
            if let open = item.lastIndex(of: "<"), let close = item[open...].firstIndex(of: ">") {
                return String(item[item.index(after: open)..<close])
            }
            return item.trimmingCharacters(in: .whitespaces)
        }
    }

    /// The first run of ASCII letters and digits that is a whole token: the token in an
    /// unsubscribe link (`…?token=TOKEN>`, `…/TOKEN/…`).
    static func token(in text: String) -> SubscriptionToken? {
        func isAlnum(_ b: UInt8) -> Bool { (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) }
        return text.utf8.split(whereSeparator: { !isAlnum($0) }).lazy
            .compactMap { SubscriptionToken(String(decoding: $0, as: UTF8.self)) }.first
    }

    /// The report's Message-ID, or one made from its bytes, so a report without one is
    /// still recognised when it is read again.
    static func messageID(_ message: ReceivedMessage, _ bytes: [UInt8]) -> String {
        if let id = message.header["Message-ID"]?.trimmingCharacters(in: .whitespaces), !id.isEmpty { return short(id) }
        return "<sha256.\(Hex.lowercase(SHA256.hash(data: bytes).prefix(16)))@herald.invalid>"
    }

    static func short(_ text: String) -> String { text.count > 300 ? String(text.prefix(300)) + "…" : text }
}
