import Crypto
import Foundation

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
    private let from: (name: String?, address: String)
    private let replyTo: (name: String?, address: String)?
    /// The digest's date as the templates and the Date header show it, formatted
    /// once: DateFormatter is too slow to build per subscriber.
    private let dateText: DateText

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
        if let url = settings.unsubscribeURL { try Self.checkUnsubscribeURL(url) }
        if let mailto = settings.unsubscribeMailto { _ = try MailAddress.validated(mailto, role: "digest.unsubscribe_mailto") }
        if let configured = settings.from {
            from = try MailAddress.mailbox(configured, role: "digest.from")
        } else if self.secret.isPreview {
            from = (publication.title, "preview@" + (publication.baseURL.host ?? "example.invalid"))
        } else {
            throw .missingFrom
        }
        if let value = settings.replyTo { replyTo = try MailAddress.mailbox(value, role: "digest.reply_to") } else { replyTo = nil }
        listID = UnsubscribeToken.listIdentity(of: publication)

        let defaults: URL
        if let templatesDirectory { defaults = templatesDirectory } else { defaults = try TemplateLocator.find() }
        let overrides = publication.directory.appendingPathComponent("templates")
        templates = try DigestTemplates(defaults: defaults,
                                        overrides: FileManager.default.fileExists(atPath: overrides.path) ? overrides : nil)
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
    }

    /// The complete message for one subscriber.
    public func message(for subscriber: Subscriber) throws(DigestError) -> OutgoingMessage {
        let to = try MailAddress.validated(subscriber.address, role: "subscriber")
        // The token carries the address as stored, so `herald unsubscribe` finds the row.
        let links = unsubscribeLinks(for: subscriber.address)
        let messageID = messageID(for: to)

        var message = MIMEMessage()
        message.addTokens("From", HeaderEncoding.mailbox(name: from.name ?? publication.title, address: from.address))
        message.addTokens("To", HeaderEncoding.mailbox(name: subscriber.name, address: to))
        message.addText("Subject", subject)
        message.addTokens("Date", [dateText.header])
        message.addTokens("Message-ID", [messageID])
        message.addTokens("MIME-Version", ["1.0"])
        message.addTokens("List-Id", HeaderEncoding.phrase(publication.title) + ["<\(listID)>"])
        var unsubscribe = [links.https, links.mailto].compactMap { $0.map { "<\($0)>" } }
        // Each comma stays with the item before it, so folding never strands it on a line of its own.
        for index in unsubscribe.indices.dropLast() { unsubscribe[index] += "," }
        if !unsubscribe.isEmpty { message.addTokens("List-Unsubscribe", unsubscribe) }
        // RFC 8058 one-click needs an https URL the receiving server can POST to.
        if links.https?.hasPrefix("https:") == true {
            message.addTokens("List-Unsubscribe-Post", ["List-Unsubscribe=One-Click"])
        }
        if let replyTo { message.addTokens("Reply-To", HeaderEncoding.mailbox(name: replyTo.name, address: replyTo.address)) }
        message.addTokens("Precedence", ["list"])
        message.addTokens("Auto-Submitted", ["auto-generated"])
        if secret.isPreview {
            message.addText("X-Herald-Preview", "unsubscribe links are signed with the preview secret and do not work")
        }
        let parts: [MIMEMessage.TextPart] = [.init(subtype: "plain", text: renderText(for: subscriber, links: links)),
                                             .init(subtype: "html", text: renderHTML(for: subscriber, links: links))]
        let bytes = message.bytes(alternatives: parts, seed: "\(listID)\0\(number)\0\(to)")
        return OutgoingMessage(envelopeFrom: from.address, envelopeTo: to, messageID: messageID, bytes: bytes)
    }

    /// The HTML part as a browser page, for `herald digest --out`.
    public func previewHTML(for subscriber: Subscriber) throws(DigestError) -> String {
        _ = try MailAddress.validated(subscriber.address, role: "subscriber")
        return renderHTML(for: subscriber, links: unsubscribeLinks(for: subscriber.address))
    }

    /// The plain-text part.
    public func plainText(for subscriber: Subscriber) throws(DigestError) -> String {
        _ = try MailAddress.validated(subscriber.address, role: "subscriber")
        return renderText(for: subscriber, links: unsubscribeLinks(for: subscriber.address))
    }

    // MARK: - Pieces

    struct UnsubscribeLinks {
        /// `digest.unsubscribe_url` with the token (RFC 8058 one-click when https).
        let https: String?
        /// `mailto:` with the token in the subject.
        let mailto: String?
        /// What the footer links to.
        var footer: String { https ?? mailto ?? "" }
    }

    func unsubscribeLinks(for address: String) -> UnsubscribeLinks {
        let token = UnsubscribeToken.make(address: address, secret: secret, scope: listID)
        let settings = publication.digest
        let https = settings.unsubscribeURL.map { url in
            if url.contains("{token}") { return url.replacingOccurrences(of: "{token}", with: token) }
            return url + (url.contains("?") ? "&" : "?") + "token=" + token
        }
        var mailto = settings.unsubscribeMailto.map { "mailto:\($0)?subject=unsubscribe%20\(token)" }
        if https == nil, mailto == nil, secret.isPreview {
            mailto = "mailto:\(from.address)?subject=unsubscribe%20\(token)"
        }
        return UnsubscribeLinks(https: https, mailto: mailto)
    }

    /// `<NUMBER.HASH@DOMAIN>`: the same digest to the same address always gets
    /// the same id, so a resent message is recognisably the same message.
    func messageID(for address: String) -> String {
        let hash = SHA256.hash(data: Data("\(listID)\0\(number)\0\(address)".utf8))
        let hex = hash.prefix(10).map { String(format: "%02x", $0) }.joined()
        let domain = MailAddress.domain(of: from.address) ?? publication.baseURL.host ?? "localhost"
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
        var context = Self.context(publication: publication, number: number, subject: subject,
                                   posts: posts, dates: dateText, preview: secret.isPreview, forTextPart: forTextPart)
        var person: [String: Any] = ["email": subscriber.address, "unsubscribe_url": links.footer]
        if let name = subscriber.name.map(HeaderEncoding.singleLine), !name.isEmpty { person["name"] = name }
        context["subscriber"] = person
        return context
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

    private static func checkUnsubscribeURL(_ url: String) throws(DigestError) {
        guard let parsed = URL(string: url), let scheme = parsed.scheme, ["https", "http"].contains(scheme),
              parsed.host != nil, url.utf8.count <= 500,
              !url.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\"" }) else {
            // Long URLs are refused too: with the token, the List-Unsubscribe line must stay under 998 octets.
            throw .badSetting("digest.unsubscribe_url must be an absolute https URL of at most 500 characters, "
                              + "such as https://example.org/unsubscribe, not \(url.debugDescription)")
        }
    }
}
