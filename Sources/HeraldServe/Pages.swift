import Foundation
import HTTPTypes
import HeraldBase
import HeraldConfig
import HeraldDigest
import HeraldMail
import HeraldState
import Hummingbird

/// The subscriber pages of one publication: `templates/serve/*.mustache`
/// (a publication's `templates/serve/` overrides them file by file), rendered with
/// the publication, its labels and its paths, sent with strict headers.
struct Pages: Sendable {
    static let names = [
        "subscribe.html", "check-inbox.html", "recently-mailed.html", "confirm.html", "confirmed.html",
        "unsubscribe.html", "unsubscribed.html", "problem.html", "confirm-mail.txt",
    ]
    /// No script, no inline style, no framing, forms only to this site; the pages need nothing else.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'"

    let templates: TemplateSet
    let labels: Labels
    let base: [String: [String: String]]
    let stylesheet: ByteBuffer

    /// `templatesDirectory`: a templates folder given to herald (its `serve/` holds these
    /// pages), or nil for the built-in ones; the publication's `templates/serve/` overrides either.
    init(publication: Publication, site: SiteLayout, templatesDirectory: URL?) throws(Failure) {
        let defaults = templatesDirectory?.appendingPathComponent("serve")
        let overrides = publication.directory.appendingPathComponent("templates/serve")
        let exists = { (url: URL) in FileManager.default.fileExists(atPath: url.path) }
        do {
            templates = try TemplateSet(
                builtIn: ServeTemplates.files, builtInFolder: "templates/serve",
                defaults: defaults.flatMap { exists($0) ? $0 : nil },
                overrides: exists(overrides) ? overrides : nil, required: Self.names)
        } catch {
            throw Failure(.config, error.description)
        }
        let css = [overrides, defaults].compactMap { $0?.appendingPathComponent("serve.css") }.first(where: exists)
        guard let text = css.flatMap({ try? String(contentsOf: $0, encoding: .utf8) }) ?? ServeTemplates.files["serve.css"] else {
            throw Failure(.config, "\(css?.path ?? "templates/serve/serve.css"): cannot read the pages' stylesheet")
        }
        stylesheet = ByteBuffer(string: text)
        labels = Labels(for: publication)
        base = [
            "publication": [
                "title": publication.title, "description": publication.description,
                "base_url": publication.baseURL.absoluteString, "language": publication.language,
            ],
            "labels": Self.filled(labels, publication.serve),
            "paths": [
                "css": site.path(.stylesheet), "subscribe": site.path(.subscribe), "confirm": site.path(.confirm),
                "unsubscribe": site.path(.unsubscribe), "archive": site.path(.archive),
                "atom": site.mountPath + SiteLayout.Name.atom,
            ],
        ]
    }

    /// The labels with the publication's own limits in them (a link's days, the mail window's minutes).
    private static func filled(_ labels: Labels, _ settings: ServeSettings) -> [String: String] {
        let limits = ["days": String(settings.confirmDays), "minutes": String(Int(settings.confirmWindow / 60))]
        return labels.values.mapValues { text in
            limits.reduce(text) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
        }
    }

    /// A page; `page` fills `{{page.…}}` (echoed values are escaped by the template).
    func response(
        _ name: String, title: String, status: HTTPResponse.Status = .ok, page: [String: String] = [:],
        cookie: Cookie? = nil
    ) -> Response {
        var context: [String: Any] = base
        var values = page
        values["title"] = labels[title]
        context["page"] = values
        let html = templates.render(name, context)
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8",
            .contentSecurityPolicy: Self.contentSecurityPolicy,
            .xContentTypeOptions: "nosniff",
            // The token is in the URL: no other site may learn it from a Referer. (Not
            // no-referrer: browsers then send `Origin: null` with the form, which CSRFGuard refuses.)
            HTTPField.Name("Referrer-Policy")!: "same-origin",
            .cacheControl: "no-store",
        ]
        if let cookie { headers[.setCookie] = cookie.description }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A page that says what went wrong and what to do, without a button.
    func problem(_ status: HTTPResponse.Status, _ message: String, hint: String? = nil) -> Response {
        response(
            "problem.html", title: "problem_title", status: status,
            page: ["message": labels[message], "hint": hint.map { labels[$0] } ?? ""])
    }

    /// The confirmation mail's subject and text; it greets `name` when the reader gave one
    /// (plain text: the `.txt` template escapes nothing, and the name holds no line break).
    func confirmationMail(confirmURL: String, days: Int, title: String, name: SubscriberName?) -> (subject: String, text: String) {
        func fill(_ key: String) -> String { labels.filled(key, ["title": title, "days": String(days)]) }
        var context: [String: Any] = base
        var mailLabels = labels.values
        for key in ["confirm_mail_body", "confirm_mail_expiry"] { mailLabels[key] = fill(key) }
        if let name { mailLabels["confirm_mail_hello"] = labels.filled("confirm_mail_hello_name", ["name": name.description]) }
        context["labels"] = mailLabels
        context["confirm_url"] = confirmURL
        return (fill("confirm_mail_subject"), templates.render("confirm-mail.txt", context))
    }
}
