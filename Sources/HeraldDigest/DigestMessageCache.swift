import HeraldBase
import HeraldMail
import HeraldState
import Logging

/// A digest's messages without rendering the templates per subscriber: the parts are
/// rendered once with sentinels where the subscriber's fields go (`SubscriberSlots`), the
/// header fields that name nobody are folded once, and each message fills in its
/// subscriber's lines, because rendering the templates per message made sending several
/// times slower (BENCHMARKS.md, "Rendering once per digest").
///
/// It is used only where it is exact: at creation it must give, for two probe subscribers,
/// the very bytes the composer's full render gives; per message it declines (nil, and the
/// composer renders in full) when a value could change the layout it assumed. Both
/// declines are logged, so a template that turns the cache off is visible.
struct DigestMessageCache: Sendable {
    struct Variant: Sendable {
        let text: [SubscriberSlots.Piece]
        let html: [SubscriberSlots.Piece]
        /// The fields a `{{…}}` shows HTML-escaped: only those are escaped per message.
        let escaped: Set<SubscriberSlots.Field>

        init(text: [SubscriberSlots.Piece], html: [SubscriberSlots.Piece]) {
            self.text = text
            self.html = html
            escaped = SubscriberSlots.escapedFields(text + html)
        }
    }

    /// Subscribers with a name, and without (templates may test `{{#subscriber.name}}`).
    private let named: Variant
    private let unnamed: Variant
    /// The loader's post texts, for text lines that name the subscriber and a post.
    private let verbatim: [String]
    /// Header fields that do not depend on the subscriber, folded, joined by CRLF.
    private let from: String
    private let subjectAndDate: String
    private let listID: String
    private let tail: String

    private static let logger = Logger(label: "herald.digest")

    /// Two subscribers whose cached messages must equal their full renders for the cache
    /// to be used: a name with every HTML-escaped character and non-ASCII, no name and an
    /// address long enough to make the footer wrap. A template that transforms, measures
    /// or re-escapes a subscriber field shows up as a difference.
    static let probes = [
        Subscriber(id: 0, address: try! EmailAddress("o'brien&co+probe@example.org"), name: "Zoë \"Q\" <O'Brien> & Co · 小明"),
        Subscriber(
            id: 0,
            address: try! EmailAddress("a.very.long.probe.address.that.makes.the.footer.wrap@in.the.text.parts.of.the.probe.example.org"),
            name: nil),
    ]

    /// Nil when the composer's templates use a subscriber field in a way the cache cannot express.
    init?(_ composer: DigestComposer) {
        func variant(named: Bool) -> Variant? {
            var person: [String: Any] = [
                "email": SubscriberSlots.sentinel(.email),
                "unsubscribe_url": SubscriberSlots.sentinel(.unsubscribeURL),
            ]
            if named { person["name"] = SubscriberSlots.sentinel(.name) }
            let text = composer.templates.render(TemplateSet.text, composer.renderContext(person: person, forTextPart: true))
            let html = composer.templates.render(TemplateSet.html, composer.renderContext(person: person, forTextPart: false))
            guard let textPieces = SubscriberSlots.textPieces(text, verbatim: composer.posts.map(\.text)),
                let htmlPieces = SubscriberSlots.htmlPieces(html)
            else { return nil }
            return Variant(text: textPieces, html: htmlPieces)
        }
        func fields(_ add: (inout MIMEMessage) -> Void) -> String {
            var message = MIMEMessage()
            add(&message)
            return message.fields.joined(separator: "\r\n")
        }
        guard let named = variant(named: true), let unnamed = variant(named: false) else {
            Self.declined("the templates change a subscriber field's text")
            return nil
        }
        self.named = named
        self.unnamed = unnamed
        verbatim = composer.posts.map(\.text)
        from = fields { $0.addTokens("From", composer.fromTokens) }
        subjectAndDate = fields {
            $0.addText("Subject", composer.subject)
            $0.addTokens("Date", [composer.dateText.header])
        }
        listID = fields { composer.addListID(to: &$0) }
        tail = fields { composer.addTail(to: &$0) }
        for probe in Self.probes {
            let full = composer.referenceMessage(for: probe)
            guard let cached = message(for: probe, from: composer), cached.bytes == full.bytes,
                cached.messageID == full.messageID, cached.envelopeTo == full.envelopeTo,
                cached.envelopeFrom == full.envelopeFrom
            else {
                Self.declined("a cached message differs from the full render for \(probe.address)")
                return nil
            }
        }
    }

    private static func declined(_ why: String) {
        logger.notice("digest messages are rendered in full, one by one: \(why)")
    }

    /// The message from the cache: the subscriber's lines filled in and encoded, the rest
    /// copied. Nil when a value could change the layout the cache assumed.
    func message(for subscriber: Subscriber, from composer: DigestComposer) -> OutgoingMessage? {
        let to = subscriber.address.ascii
        let links = composer.unsubscribeLinks(for: subscriber)
        let messageID = composer.messageID(for: to)
        let name = subscriber.name.map(Whitespace.collapsed).flatMap { $0.isEmpty ? nil : $0 }
        var values: [SubscriberSlots.Field: String] = [.email: subscriber.address.description, .unsubscribeURL: links.footer]
        if let name { values[.name] = name }
        // An empty value or a line break would change sections or line structure.
        guard values.values.allSatisfy({ !$0.isEmpty && !$0.utf8.contains(0x0A) && !$0.utf8.contains(0x0D) }) else {
            Self.logger.debug("\(subscriber.address): rendered in full (a field is empty or holds a line break)")
            return nil
        }
        let variant = name == nil ? unnamed : named
        let slots = SubscriberSlots.Values(values, escaping: variant.escaped, escape: composer.templates.htmlEscaped)
        guard let text = SubscriberSlots.segments(variant.text, slots, textLayout: verbatim),
            let html = SubscriberSlots.segments(variant.html, slots, textLayout: nil)
        else {
            Self.logger.debug("\(subscriber.address): rendered in full (a line would wrap differently)")
            return nil
        }

        var fields = [from]
        fields.append(HeaderEncoding.fold("To", HeaderEncoding.mailbox(name: subscriber.name, address: to).map(Whitespace.collapsed)))
        fields.append(subjectAndDate)
        fields.append(HeaderEncoding.fold("Message-ID", [Whitespace.collapsed(messageID)]))
        fields.append(listID)
        let items = links.headerItems
        if !items.isEmpty { fields.append(HeaderEncoding.fold("List-Unsubscribe", items.map(Whitespace.collapsed))) }
        if links.oneClick { fields.append(HeaderEncoding.fold("List-Unsubscribe-Post", ["List-Unsubscribe=One-Click"])) }
        if !tail.isEmpty { fields.append(tail) }

        let plain = SubscriberSlots.encode(text)
        let rich = SubscriberSlots.encode(html)
        let bytes = MIMEMessage.assemble(
            header: fields.joined(separator: "\r\n"),
            parts: [
                .init(subtype: "plain", encoding: plain.encoding, body: plain.body),
                .init(subtype: "html", encoding: rich.encoding, body: rich.body),
            ], seed: composer.seed(for: to))
        return OutgoingMessage(envelopeFrom: composer.envelopeFrom(for: subscriber), envelopeTo: to, messageID: messageID, bytes: bytes)
    }
}
