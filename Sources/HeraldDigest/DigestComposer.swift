import Crypto
import Foundation
import HeraldBase
import HeraldConfig
import HeraldContent
import HeraldMail
import HeraldState
import Mustache

/// Renders one digest: the subject and posts once, then one message per
/// subscriber (their name, address and unsubscribe link differ).
public struct DigestComposer: Sendable {
    public let publication: Publication
    public let number: Int
    public let date: Date
    /// The rendered `digest.subject`, one line.
    public let subject: String

    let templates: TemplateSet
    let posts: [DigestPostView]
    let secret: UnsubscribeSecret
    let listID: String
    let from: Mailbox
    let replyTo: Mailbox?
    let bounceAddress: BounceAddress?
    /// The digest's date as the templates and the Date header show it, formatted
    /// once: DateFormatter is too slow to build per subscriber.
    let dateText: DateText
    /// `unsubscribeURLPieces(_:)` of the publication.
    let unsubscribeURLPieces: [String]?
    /// The publication's labels with this digest's number filled in, for every render's context.
    let labels: [String: String]
    /// Everything in a message that does not depend on the subscriber, rendered
    /// once; nil when the templates use the subscriber in a way it cannot
    /// express (every message is then rendered in full).
    private var cache: DigestMessageCache? = nil

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
    ///   - oneMessage: only one message will be composed (a preview): the cache, which
    ///     costs four renders to build and check, would not pay for itself.
    ///   - prepared: the templates, labels and date format, begun while the posts were read
    ///     (made for the same publication and `templatesDirectory`); nil makes them here.
    public init(
        publication: Publication, posts: [Post], number: Int, date: Date,
        secret: UnsubscribeSecret? = nil, templatesDirectory: URL? = nil, oneMessage: Bool = false,
        prepared: DigestPreparation? = nil
    ) throws(DigestError) {
        guard !posts.isEmpty else { throw .noPosts }
        self.publication = publication
        self.number = number
        self.date = date
        if let secret {
            self.secret = secret
        } else {
            do { self.secret = try UnsubscribeSecret.required(for: publication) } catch { throw .unsubscribeSecret(error) }
        }
        let settings = publication.digest
        if let configured = settings.from {
            from = configured
        } else if self.secret.isPreview {
            let address = (try? EmailAddress("preview@" + (publication.baseURL.host ?? ""))) ?? Self.previewSender
            from = Mailbox(name: publication.title, address: address)
        } else {
            throw .missingFrom
        }
        replyTo = settings.replyTo
        bounceAddress = settings.bounceAddress
        listID = ListIdentity.of(publication)
        unsubscribeURLPieces = Self.unsubscribeURLPieces(publication)

        let parts =
            if let prepared, prepared.directory == publication.directory, prepared.templatesDirectory == templatesDirectory {
                try prepared.parts()
            } else {
                try DigestPreparation.Parts(publication: publication, templatesDirectory: templatesDirectory)
            }
        templates = parts.templates
        labels = Self.digestLabels(parts.labels, number: number)
        let dates = parts.dates
        dateText = DateText(long: dates.long(date), iso: dates.iso(date), header: dates.rfc5322(date))
        // Each post's view (sanitized HTML, wrapped text, dates) is its own work: on every core.
        let full = settings.content == .full
        self.posts = parallelMap(posts) { post in
            DigestPostView(post, dates: dates, full: full, sanitizer: { HTMLSanitizer(base: $0) })
        }
        let subjectTemplate = try TemplateSet.compile(
            settings.subject, name: "subject",
            path: "\(publication.configPath): digest.subject")
        subject = Whitespace.collapsed(
            subjectTemplate.render(
                Self.context(
                    publication: publication, number: number, subject: "", posts: self.posts, dates: dateText,
                    labels: labels, preview: self.secret.isPreview,
                    forTextPart: false)))
        guard !subject.isEmpty else {
            throw .badSetting(
                "\(publication.configPath): digest.subject \(settings.subject.debugDescription) renders to nothing; "
                    + "use names from the digest context, e.g. \"{{publication.title}} #{{digest.number}}\"")
        }
        if !oneMessage { cache = DigestMessageCache(self) }
    }

    /// The sender of previews of a publication whose host makes no address.
    private static let previewSender = try! EmailAddress("preview@example.invalid")

    /// The complete message for one subscriber.
    public func message(for subscriber: Subscriber) -> OutgoingMessage {
        if let cache, let message = cache.message(for: subscriber, from: self) { return message }
        return referenceMessage(for: subscriber)
    }

    /// Whether `message(for:)` fills in a cached render, so the tests can tell a cached
    /// message from one that only matches because it was rendered in full.
    var usesCache: Bool { cache != nil }

    /// The message rendered in full (templates, layout, encoding): what the cache
    /// must reproduce byte for byte. Used when it cannot, and by the tests.
    func referenceMessage(for subscriber: Subscriber) -> OutgoingMessage {
        let to = subscriber.address.ascii
        let links = unsubscribeLinks(for: subscriber)
        let messageID = messageID(for: to)

        var message = MIMEMessage()
        message.addTokens("From", fromTokens)
        message.addTokens("To", HeaderEncoding.mailbox(name: subscriber.name, address: to))
        message.addText("Subject", subject)
        message.addTokens("Date", [dateText.header])
        message.addTokens("Message-ID", [messageID])
        addListID(to: &message)
        if !links.headerItems.isEmpty { message.addTokens("List-Unsubscribe", links.headerItems) }
        if links.oneClick { message.addTokens("List-Unsubscribe-Post", ["List-Unsubscribe=One-Click"]) }
        addTail(to: &message)
        let parts: [MIMEMessage.TextPart] = [
            .init(subtype: "plain", text: renderText(for: subscriber, links: links)),
            .init(subtype: "html", text: renderHTML(for: subscriber, links: links)),
        ]
        let bytes = message.bytes(alternatives: parts, seed: seed(for: to))
        return OutgoingMessage(envelopeFrom: envelopeFrom(for: subscriber), envelopeTo: to, messageID: messageID, bytes: bytes)
    }

    /// MAIL FROM: with `digest.bounce_address`, that address with the subscription's token
    /// (VERP), so a bounce names its subscriber; else the From address. A subscriber not from
    /// the state database has no token, and bounces to the plain bounce address.
    func envelopeFrom(for subscriber: Subscriber) -> String {
        guard let bounceAddress else { return from.address.ascii }
        guard let token = subscriber.unsubscribeToken else { return bounceAddress.address.ascii }
        return bounceAddress.envelope(token: token.description)
    }

    // MARK: - Header fields, shared with the cache

    var fromTokens: [String] { HeaderEncoding.mailbox(name: from.name ?? publication.title, address: from.address.ascii) }

    func addListID(to message: inout MIMEMessage) {
        message.addTokens("MIME-Version", ["1.0"])
        message.addTokens("List-Id", HeaderEncoding.phrase(publication.title) + ["<\(listID)>"])
    }

    /// The fields after List-Unsubscribe.
    func addTail(to message: inout MIMEMessage) {
        if let replyTo { message.addTokens("Reply-To", HeaderEncoding.mailbox(name: replyTo.name, address: replyTo.address.ascii)) }
        message.addTokens("Precedence", ["list"])
        message.addTokens("Auto-Submitted", ["auto-generated"])
        if secret.isPreview {
            message.addText("X-Herald-Preview", "unsubscribe links are signed with the preview secret and do not work")
        }
    }

    /// What makes the MIME boundary of this digest to this recipient (deterministic).
    func seed(for to: String) -> String { "\(listID)\0\(number)\0\(to)" }

    /// The HTML part as a browser page, for `herald digest --out`.
    public func previewHTML(for subscriber: Subscriber) -> String {
        renderHTML(for: subscriber, links: unsubscribeLinks(for: subscriber))
    }

    /// The plain-text part.
    public func plainText(for subscriber: Subscriber) -> String {
        renderText(for: subscriber, links: unsubscribeLinks(for: subscriber))
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

    /// The subscription's opaque token in `digest.unsubscribe_url`, else in the
    /// `herald serve` route under `base_url`. A subscriber not from the state database
    /// (a preview, the cache's probes) gets a token no subscription has.
    func unsubscribeLinks(for subscriber: Subscriber) -> UnsubscribeLinks {
        let token = subscriber.unsubscribeToken ?? Self.unboundToken
        let mailto = publication.digest.unsubscribeMailto.map { "mailto:\($0.ascii)?subject=unsubscribe%20\(token)" }
        return UnsubscribeLinks(https: unsubscribeURLPieces?.joined(separator: token.description), mailto: mailto)
    }

    /// The unsubscribe URL cut where the token goes, once per digest: joining the pieces with
    /// a token is what replacing `{token}` gives, without Foundation's search per message.
    static func unsubscribeURLPieces(_ publication: Publication) -> [String]? {
        let settings = publication.digest
        let url =
            settings.unsubscribeURL ?? (settings.unsubscribeMailto == nil ? SiteLayout(publication: publication).url(.unsubscribe) : nil)
        return url.map(tokenPieces)
    }

    /// `url` cut at each `{token}`, or, without one, before a `token=` query parameter added at its end.
    static func tokenPieces(_ url: String) -> [String] {
        if url.contains("{token}") { return url.components(separatedBy: "{token}") }
        return [url + (url.contains("?") ? "&" : "?") + "token=", ""]
    }

    static let unboundToken = SubscriptionToken(String(repeating: "0", count: 32))!

    /// The digest as a web page for the archive: the HTML part with no subscriber in it
    /// (the templates show a subscribe link where a message has its recipient and unsubscribe link).
    public func archivePage() -> String {
        var context = renderContext(person: [:], forTextPart: false)
        if var digest = context["digest"] as? [String: Any] {
            digest["archive"] = true
            context["digest"] = digest
        }
        return templates.render(TemplateSet.html, context)
    }

    /// The archive's index page (`archive.html.mustache`): every digest, newest first.
    public func archiveIndex(_ digests: [DigestRecord]) -> String {
        let dates = DigestDateFormat(language: publication.language, timeZone: publication.timeZone)
        var context = renderContext(person: [:], forTextPart: false)
        context["digests"] = digests.sorted { $0.number > $1.number }.map { record -> [String: Any] in
            [
                "number": record.number, "subject": record.subject, "date": dates.long(record.createdAt),
                "iso_date": dates.iso(record.createdAt), "path": SiteLayout.archivePageLink(record.number),
            ]
        }
        return templates.render(TemplateSet.archiveIndex, context)
    }

    /// `<NUMBER.HASH@DOMAIN>`: the same digest to the same address always gets
    /// the same id, so a resent message is recognisably the same message.
    func messageID(for address: String) -> String {
        // Bytes in, raw digest bytes out: Data and the digest's own Sequence were half the
        // cost of this function on every message.
        let hash = SHA256.hash(data: Array("\(listID)\0\(number)\0\(address)".utf8))
        let hex = hash.withUnsafeBytes { Hex.lowercase(UnsafeRawBufferPointer(rebasing: $0.prefix(10))) }
        let domain = from.address.domain
        return "<digest.\(number).\(hex)@\(domain)>"
    }

    private func renderText(for subscriber: Subscriber, links: UnsubscribeLinks) -> String {
        let rendered = templates.render(TemplateSet.text, renderContext(for: subscriber, links: links, forTextPart: true))
        return PlainTextLayout.finish(rendered, verbatim: posts.map(\.text))
    }

    private func renderHTML(for subscriber: Subscriber, links: UnsubscribeLinks) -> String {
        templates.render(TemplateSet.html, renderContext(for: subscriber, links: links, forTextPart: false))
    }

    private func renderContext(for subscriber: Subscriber, links: UnsubscribeLinks, forTextPart: Bool) -> [String: Any] {
        var person: [String: Any] = ["email": subscriber.address.description, "unsubscribe_url": links.footer]
        if let name = subscriber.name.map(Whitespace.collapsed), !name.isEmpty { person["name"] = name }
        return renderContext(person: person, forTextPart: forTextPart)
    }

    func renderContext(person: [String: Any], forTextPart: Bool) -> [String: Any] {
        var context = Self.context(
            publication: publication, number: number, subject: subject,
            posts: posts, dates: dateText, labels: labels, preview: secret.isPreview, forTextPart: forTextPart)
        context["subscriber"] = person
        return context
    }

    static func context(
        publication: Publication, number: Int, subject: String,
        posts: [DigestPostView], dates: DateText, labels: [String: String], preview: Bool, forTextPart: Bool
    ) -> [String: Any] {
        let full = publication.digest.content == .full
        let feeds = FeedLinks(publication: publication)
        let site = SiteLayout(publication: publication)
        return [
            "publication": [
                "title": Whitespace.collapsed(publication.title), "description": publication.description,
                "base_url": publication.baseURL.absoluteString, "language": publication.language,
                "feeds": ["atom": feeds.atom, "rss": feeds.rss],
                "subscribe_url": site.url(.subscribe), "archive_url": site.url(.archive),
            ] as [String: Any],
            "digest": [
                "subject": subject, "number": number, "date": dates.long, "iso_date": dates.iso,
                "post_count": posts.count, "has_toc": posts.count > 1, "full": full, "summary": !full,
                // Signed with the preview secret: the templates say its links do not work.
                "preview": preview,
                // The page `herald send` writes for this digest ("view in browser").
                "archive_url": site.archivePageURL(number),
            ] as [String: Any],
            "posts": posts.enumerated().map {
                $0.element.context(index: $0.offset, count: posts.count, forTextPart: forTextPart)
            },
            "labels": labels,
        ]
    }

    /// The publication's labels, with the issue number in `{{labels.issue}}`.
    static func digestLabels(_ labels: Labels, number: Int) -> [String: String] {
        var values = labels.values
        values["issue"] = labels.filled("issue", ["n": String(number)])
        return values
    }
}
