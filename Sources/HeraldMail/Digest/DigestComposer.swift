import Crypto
import Foundation
import HeraldBase
import HeraldConfig
import HeraldContent
import HeraldState

/// Renders one digest: the subject and posts once, then one message per
/// subscriber (their name, address and unsubscribe link differ).
public struct DigestComposer: Sendable {
    public let publication: Publication
    public let number: Int
    public let date: Date
    /// The rendered `digest.subject`, one line.
    public let subject: String

    private let templates: DigestTemplates
    private let posts: [DigestPostView]
    private let secret: UnsubscribeSecret
    private let listID: String
    private let from: Mailbox
    private let replyTo: Mailbox?
    /// The digest's date as the templates and the Date header show it, formatted
    /// once: DateFormatter is too slow to build per subscriber.
    private let dateText: DateText
    /// Everything in a message that does not depend on the subscriber, rendered
    /// once; nil when the templates use the subscriber in a way it cannot
    /// express (every message is then rendered in full).
    private var cache: MessageCache? = nil
    /// Whether messages come from the per-digest cache (for the tests).
    var usesCache: Bool { cache != nil }

    struct DateText: Sendable {
        let long: String
        let iso: String
        let header: String
    }

    /// - Parameters:
    ///   - secret: signs unsubscribe links; nil loads the publication's
    ///     configured secret and fails without one. `.preview` marks the message as a preview.
    ///   - templatesDirectory: the default templates (nil: `TemplateLocator.find()`);
    ///     the publication's `templates/` folder overrides them file by file.
    public init(publication: Publication, posts: [Post], number: Int, date: Date,
                secret: UnsubscribeSecret? = nil, templatesDirectory: URL? = nil) throws(DigestError) {
        guard !posts.isEmpty else { throw .noPosts }
        self.publication = publication
        self.number = number
        self.date = date
        if let secret { self.secret = secret } else { self.secret = try UnsubscribeSecret.required(for: publication) }
        let settings = publication.digest
        if !self.secret.isPreview, settings.unsubscribeURL == nil, settings.unsubscribeMailto == nil {
            throw .missingUnsubscribeMethod
        }
        if let configured = settings.from {
            from = configured
        } else if self.secret.isPreview {
            let address = (try? EmailAddress("preview@" + (publication.baseURL.host ?? ""))) ?? Self.previewSender
            from = Mailbox(name: publication.title, address: address)
        } else {
            throw .missingFrom
        }
        replyTo = settings.replyTo
        listID = UnsubscribeToken.listIdentity(of: publication)

        templates = try DigestTemplates.locate(for: publication, templatesDirectory: templatesDirectory)
        let dates = DigestDateFormat(language: publication.language, timeZone: publication.timeZone)
        dateText = DateText(long: dates.long(date), iso: dates.iso(date), header: dates.rfc5322(date))
        self.posts = posts.map { post in
            DigestPostView(post, dates: dates, sanitizer: { EmailSanitizer(base: $0) })
        }
        let subjectTemplate = try DigestTemplates.compile(settings.subject, name: "subject",
                                                          path: "\(publication.configPath): digest.subject")
        subject = HeaderEncoding.singleLine(subjectTemplate.render(Self.context(
            publication: publication, number: number, subject: "", posts: self.posts, dates: dateText, preview: self.secret.isPreview,
            forTextPart: false)))
        guard !subject.isEmpty else {
            throw .badSetting("\(publication.configPath): digest.subject \(settings.subject.debugDescription) renders to nothing; "
                              + "use names from the digest context, e.g. \"{{publication.title}} #{{digest.number}}\"")
        }
        cache = makeCache()
    }

    /// The sender of previews of a publication whose host makes no address.
    private static let previewSender = try! EmailAddress("preview@example.invalid")

    /// The complete message for one subscriber.
    public func message(for subscriber: Subscriber) throws(DigestError) -> OutgoingMessage {
        if let cache, let message = try cachedMessage(for: subscriber, cache: cache) { return message }
        return try referenceMessage(for: subscriber)
    }

    /// The message rendered in full (templates, layout, encoding): what the cache
    /// must reproduce byte for byte. Used when it cannot, and by the tests.
    func referenceMessage(for subscriber: Subscriber) throws(DigestError) -> OutgoingMessage {
        let to = subscriber.address.ascii
        // The token carries the address as stored, so `herald unsubscribe` finds the row.
        let links = unsubscribeLinks(for: subscriber.address.description)
        let messageID = messageID(for: to)

        var message = MIMEMessage()
        message.addTokens("From", HeaderEncoding.mailbox(name: from.name ?? publication.title, address: from.address.ascii))
        message.addTokens("To", HeaderEncoding.mailbox(name: subscriber.name, address: to))
        message.addText("Subject", subject)
        message.addTokens("Date", [dateText.header])
        message.addTokens("Message-ID", [messageID])
        message.addTokens("MIME-Version", ["1.0"])
        message.addTokens("List-Id", HeaderEncoding.phrase(publication.title) + ["<\(listID)>"])
        if !links.headerItems.isEmpty { message.addTokens("List-Unsubscribe", links.headerItems) }
        if links.oneClick { message.addTokens("List-Unsubscribe-Post", ["List-Unsubscribe=One-Click"]) }
        if let replyTo { message.addTokens("Reply-To", HeaderEncoding.mailbox(name: replyTo.name, address: replyTo.address.ascii)) }
        message.addTokens("Precedence", ["list"])
        message.addTokens("Auto-Submitted", ["auto-generated"])
        if secret.isPreview {
            message.addText("X-Herald-Preview", "unsubscribe links are signed with the preview secret and do not work")
        }
        let parts: [MIMEMessage.TextPart] = [.init(subtype: "plain", text: renderText(for: subscriber, links: links)),
                                             .init(subtype: "html", text: renderHTML(for: subscriber, links: links))]
        let bytes = message.bytes(alternatives: parts, seed: "\(listID)\0\(number)\0\(to)")
        return OutgoingMessage(envelopeFrom: from.address.ascii, envelopeTo: to, messageID: messageID, bytes: bytes)
    }

    /// The HTML part as a browser page, for `herald digest --out`.
    public func previewHTML(for subscriber: Subscriber) -> String {
        renderHTML(for: subscriber, links: unsubscribeLinks(for: subscriber.address.description))
    }

    /// The plain-text part.
    public func plainText(for subscriber: Subscriber) -> String {
        renderText(for: subscriber, links: unsubscribeLinks(for: subscriber.address.description))
    }

    // MARK: - Pieces

    struct UnsubscribeLinks {
        /// `digest.unsubscribe_url` with the token (RFC 8058 one-click when https).
        let https: String?
        /// `mailto:` with the token in the subject.
        let mailto: String?
        /// What the footer links to.
        var footer: String { https ?? mailto ?? "" }

        /// `List-Unsubscribe` items (RFC 2369), empty when neither link is set. Each comma
        /// stays with the item before it, so folding never strands it on a line of its own.
        var headerItems: [String] {
            var items = [https, mailto].compactMap { $0.map { "<\($0)>" } }
            for index in items.indices.dropLast() { items[index] += "," }
            return items
        }

        /// RFC 8058 one-click needs an https URL the receiving server can POST to.
        var oneClick: Bool { https?.hasPrefix("https:") == true }
    }

    func unsubscribeLinks(for address: String) -> UnsubscribeLinks {
        let token = UnsubscribeToken.make(address: address, secret: secret, scope: listID)
        let settings = publication.digest
        let https = settings.unsubscribeURL.map { url in
            if url.contains("{token}") { return url.replacingOccurrences(of: "{token}", with: token) }
            return url + (url.contains("?") ? "&" : "?") + "token=" + token
        }
        var mailto = settings.unsubscribeMailto.map { "mailto:\($0.ascii)?subject=unsubscribe%20\(token)" }
        if https == nil, mailto == nil, secret.isPreview {
            mailto = "mailto:\(from.address.ascii)?subject=unsubscribe%20\(token)"
        }
        return UnsubscribeLinks(https: https, mailto: mailto)
    }

    /// `<NUMBER.HASH@DOMAIN>`: the same digest to the same address always gets
    /// the same id, so a resent message is recognisably the same message.
    func messageID(for address: String) -> String {
        let hash = SHA256.hash(data: Data("\(listID)\0\(number)\0\(address)".utf8))
        let hex = Hex.lowercase(hash.prefix(10))
        let domain = from.address.domain
        return "<digest.\(number).\(hex)@\(domain)>"
    }

    private func renderText(for subscriber: Subscriber, links: UnsubscribeLinks) -> String {
        let rendered = templates.render(DigestTemplates.text, renderContext(for: subscriber, links: links, forTextPart: true))
        return PlainTextLayout.finish(rendered, verbatim: posts.map(\.text))
    }

    private func renderHTML(for subscriber: Subscriber, links: UnsubscribeLinks) -> String {
        templates.render(DigestTemplates.html, renderContext(for: subscriber, links: links, forTextPart: false))
    }

    private func renderContext(for subscriber: Subscriber, links: UnsubscribeLinks, forTextPart: Bool) -> [String: Any] {
        var person: [String: Any] = ["email": subscriber.address.description, "unsubscribe_url": links.footer]
        if let name = subscriber.name.map(HeaderEncoding.singleLine), !name.isEmpty { person["name"] = name }
        return renderContext(person: person, forTextPart: forTextPart)
    }

    private func renderContext(person: [String: Any], forTextPart: Bool) -> [String: Any] {
        var context = Self.context(publication: publication, number: number, subject: subject,
                                   posts: posts, dates: dateText, preview: secret.isPreview, forTextPart: forTextPart)
        context["subscriber"] = person
        return context
    }

    // MARK: - Rendering once per digest

    struct MessageCache: Sendable {
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
        let named: Variant
        let unnamed: Variant
        /// The loader's post texts, for text lines that name the subscriber and a post.
        let verbatim: [String]
        /// Header fields that do not depend on the subscriber, folded, joined by CRLF.
        let from: String
        let subjectAndDate: String
        let listID: String
        let tail: String
    }

    /// Two subscribers whose cached messages must equal their full renders for
    /// the cache to be used: a name with every HTML-escaped character and
    /// non-ASCII, no name and an address long enough to make the footer wrap.
    /// A template that transforms, measures or re-escapes a subscriber field
    /// shows up as a difference.
    static let probes = [
        Subscriber(id: 0, address: try! EmailAddress("o'brien&co+probe@example.org"), name: "Zoë \"Q\" <O'Brien> & Co · 小明"),
        Subscriber(id: 0, address: try! EmailAddress("a.very.long.probe.address.that.makes.the.footer.wrap@in.the.text.parts.of.the.probe.example.org"),
                   name: nil),
    ]

    private func makeCache() -> MessageCache? {
        func variant(named: Bool) -> MessageCache.Variant? {
            var person: [String: Any] = ["email": SubscriberSlots.sentinel(.email),
                                         "unsubscribe_url": SubscriberSlots.sentinel(.unsubscribeURL)]
            if named { person["name"] = SubscriberSlots.sentinel(.name) }
            let text = templates.render(DigestTemplates.text, renderContext(person: person, forTextPart: true))
            let html = templates.render(DigestTemplates.html, renderContext(person: person, forTextPart: false))
            guard let textPieces = SubscriberSlots.textPieces(text, verbatim: posts.map(\.text)),
                  let htmlPieces = SubscriberSlots.htmlPieces(html) else { return nil }
            return MessageCache.Variant(text: textPieces, html: htmlPieces)
        }
        func fields(_ add: (inout MIMEMessage) -> Void) -> String {
            var message = MIMEMessage()
            add(&message)
            return message.fields.joined(separator: "\r\n")
        }
        guard let named = variant(named: true), let unnamed = variant(named: false) else { return nil }
        let cache = MessageCache(
            named: named, unnamed: unnamed, verbatim: posts.map(\.text),
            from: fields { $0.addTokens("From", HeaderEncoding.mailbox(name: from.name ?? publication.title, address: from.address.ascii)) },
            subjectAndDate: fields { $0.addText("Subject", subject); $0.addTokens("Date", [dateText.header]) },
            listID: fields {
                $0.addTokens("MIME-Version", ["1.0"])
                $0.addTokens("List-Id", HeaderEncoding.phrase(publication.title) + ["<\(listID)>"])
            },
            tail: fields { message in
                if let replyTo { message.addTokens("Reply-To", HeaderEncoding.mailbox(name: replyTo.name, address: replyTo.address.ascii)) }
                message.addTokens("Precedence", ["list"])
                message.addTokens("Auto-Submitted", ["auto-generated"])
                if secret.isPreview {
                    message.addText("X-Herald-Preview", "unsubscribe links are signed with the preview secret and do not work")
                }
            })
        for probe in Self.probes {
            guard let full = try? referenceMessage(for: probe), let cached = try? cachedMessage(for: probe, cache: cache),
                  cached.bytes == full.bytes, cached.messageID == full.messageID, cached.envelopeTo == full.envelopeTo,
                  cached.envelopeFrom == full.envelopeFrom else { return nil }
        }
        return cache
    }

    /// The message from the cache: the subscriber's lines filled in and encoded,
    /// the rest copied. Nil when a value could change the layout the cache assumed.
    func cachedMessage(for subscriber: Subscriber, cache: MessageCache) throws(DigestError) -> OutgoingMessage? {
        let to = subscriber.address.ascii
        let links = unsubscribeLinks(for: subscriber.address.description)
        let messageID = messageID(for: to)
        let name = subscriber.name.map(HeaderEncoding.singleLine).flatMap { $0.isEmpty ? nil : $0 }
        var values: [SubscriberSlots.Field: String] = [.email: subscriber.address.description, .unsubscribeURL: links.footer]
        if let name { values[.name] = name }
        // An empty value or a line break would change sections or line structure.
        guard values.values.allSatisfy({ !$0.isEmpty && !$0.utf8.contains(0x0A) && !$0.utf8.contains(0x0D) }) else {
            return nil
        }
        let variant = name == nil ? cache.unnamed : cache.named
        let slots = SubscriberSlots.Values(values, escaping: variant.escaped)
        guard let text = SubscriberSlots.segments(variant.text, slots, textLayout: cache.verbatim),
              let html = SubscriberSlots.segments(variant.html, slots, textLayout: nil) else { return nil }

        var fields = [cache.from]
        fields.append(HeaderEncoding.fold("To", HeaderEncoding.mailbox(name: subscriber.name, address: to).map(HeaderEncoding.singleLine)))
        fields.append(cache.subjectAndDate)
        fields.append(HeaderEncoding.fold("Message-ID", [HeaderEncoding.singleLine(messageID)]))
        fields.append(cache.listID)
        let items = links.headerItems
        if !items.isEmpty { fields.append(HeaderEncoding.fold("List-Unsubscribe", items.map(HeaderEncoding.singleLine))) }
        if links.oneClick { fields.append(HeaderEncoding.fold("List-Unsubscribe-Post", ["List-Unsubscribe=One-Click"])) }
        if !cache.tail.isEmpty { fields.append(cache.tail) }

        let plain = SubscriberSlots.encode(text)
        let rich = SubscriberSlots.encode(html)
        let bytes = MIMEMessage.assemble(header: fields.joined(separator: "\r\n"), parts: [
            .init(subtype: "plain", encoding: plain.encoding, body: plain.body),
            .init(subtype: "html", encoding: rich.encoding, body: rich.body),
        ], seed: "\(listID)\0\(number)\0\(to)")
        return OutgoingMessage(envelopeFrom: from.address.ascii, envelopeTo: to, messageID: messageID, bytes: bytes)
    }

    static func context(publication: Publication, number: Int, subject: String,
                        posts: [DigestPostView], dates: DateText, preview: Bool, forTextPart: Bool) -> [String: Any] {
        let full = publication.digest.content == .full
        let feeds = FeedLinks(publication: publication)
        return [
            "publication": [
                "title": HeaderEncoding.singleLine(publication.title), "description": publication.description,
                "base_url": publication.baseURL.absoluteString, "language": publication.language,
                "feeds": ["atom": feeds.atom, "rss": feeds.rss],
            ] as [String: Any],
            "digest": [
                "subject": subject, "number": number, "date": dates.long, "iso_date": dates.iso,
                "post_count": posts.count, "has_toc": posts.count > 1, "full": full, "summary": !full,
                // Signed with the preview secret: the templates say its links do not work.
                "preview": preview,
            ] as [String: Any],
            "posts": posts.enumerated().map {
                $0.element.context(index: $0.offset, count: posts.count, forTextPart: forTextPart)
            },
            "labels": DigestLabels(language: publication.language).context(number: number),
        ]
    }
}
