import Foundation
import HTTPTypes
import HeraldBase
import HeraldConfig
import HeraldMail
import HeraldState
import Hummingbird
import Logging
import NIOPosix

/// subscribe, confirm, unsubscribe for one mount. GETs only read; each POST is one
/// transaction with its consent record. Database and SMTP work runs on the thread pool,
/// off the event loops.
extension Mount {
    func register(on router: Router<ServeContext>, logger: Logger) {
        var named = logger
        named[metadataKey: "publication"] = "\(publication.name)"
        let logger = named
        router.get(RouterPath(site.path(.subscribe))) { request, context in subscribeForm(request) }
        router.post(RouterPath(site.path(.subscribe))) { request, context in
            try await subscribe(request, context: context, logger: logger)
        }
        router.get(RouterPath(site.path(.confirm))) { request, context in try await confirmPage(request) }
        router.post(RouterPath(site.path(.confirm))) { request, context in
            try await confirm(request, context: context, logger: logger)
        }
        router.get(RouterPath(site.path(.unsubscribe))) { request, context in try await unsubscribePage(request) }
        router.post(RouterPath(site.path(.unsubscribe))) { request, context in
            try await unsubscribe(request, context: context, logger: logger)
        }
        router.get(RouterPath(site.path(.stylesheet))) { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: pages.stylesheet))
        }
    }

    // MARK: - subscribe

    private func subscribeForm(
        _ request: Request, email: String = "", name: String = "", error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        let nonce = csrf.nonce(from: request.cookies[CSRFGuard.cookieName]?.value)
        var page = ["csrf": csrf.formToken(nonce: nonce), "email": email, "name": name]
        if let error { page["error"] = pages.labels[error] }
        return pages.response("subscribe.html", title: "subscribe_title", status: status, page: page, cookie: csrfCookie(nonce))
    }

    private func csrfCookie(_ nonce: SubscriptionToken) -> Cookie {
        Cookie(
            name: CSRFGuard.cookieName, value: nonce.description, maxAge: Int(CSRFGuard.lifetime), path: path,
            secure: publication.baseURL.scheme == "https", httpOnly: true, sameSite: .strict)
    }

    private func subscribe(_ request: Request, context: ServeContext, logger: Logger) async throws -> Response {
        var request = request
        let form = try await readForm(&request)
        if let refused = checkCSRF(form, request, route: .subscribe, logger: logger) { return refused }
        let client = ClientAddress.of(peer: context.peer, headers: request.headers)
        guard limiter.allow(client) else {
            logger.info("subscribe refused: the client is over serve.subscribe_burst")
            return pages.problem(.tooManyRequests, "too_many", hint: "too_many_hint")
        }
        let rawEmail = (form.fields["email"] ?? "").trimmingCharacters(in: .whitespaces)
        let rawName = (form.fields["name"] ?? "").trimmingCharacters(in: .whitespaces)
        guard rawEmail.utf8.count <= 254, !rawEmail.isEmpty, let address = try? EmailAddress(rawEmail) else {
            logger.info("subscribe refused: not an email address")
            return subscribeForm(request, email: rawEmail, name: rawName, error: "bad_address", status: .badRequest)
        }
        let name: SubscriberName?
        do { name = try SubscriberName(rawName) } catch {
            logger.info("subscribe refused: the name is not accepted", metadata: ["subscriber": "\(tag(address))"])
            return subscribeForm(request, email: rawEmail, name: "", error: "bad_name", status: .badRequest)
        }
        let consent = consent(request, client: client, page: SiteLayout.Route.subscribe.rawValue)
        let window = settings.confirmWindow
        // A read only, the same whatever the address is; the writing and the mail come after the answer.
        let recently = try await NIOThreadPool.singleton.runIfActive { [subscriptions] in
            try subscriptions.recentlyRequested(address, window: window, now: consent.at)
        }
        requests.submit(address, name: name, consent: consent, logger: logger)
        // One page for subscribers and strangers alike: nobody learns whether an address is subscribed.
        return pages.response(recently ? "recently-mailed.html" : "check-inbox.html", title: "check_inbox_title")
    }

    // MARK: - confirm

    private func confirmPage(_ request: Request) async throws -> Response {
        guard let token = request.uri.queryParameters["token"].flatMap(SubscriptionToken.init) else { return invalidLink() }
        let found = try await NIOThreadPool.singleton.runIfActive { [subscriptions] in try subscriptions.lookConfirmation(token) }
        switch found {
        case .pending: return buttonPage("confirm.html", title: "confirm_title", token: token.description, request: request)
        case .confirmed: return pages.response("confirmed.html", title: "confirmed_title")
        case .expired: return pages.problem(.gone, "expired_link", hint: "expired_link_hint")
        case .unknown: return invalidLink()
        }
    }

    private func confirm(_ request: Request, context: ServeContext, logger: Logger) async throws -> Response {
        var request = request
        let form = try await readForm(&request)
        if let refused = checkCSRF(form, request, route: .confirm, logger: logger) { return refused }
        guard
            let token = (form.fields["token"] ?? request.uri.queryParameters["token"].map(String.init))
                .flatMap(SubscriptionToken.init)
        else {
            logger.info("confirm refused: not a confirmation token")
            return invalidLink()
        }
        let consent = consent(
            request, client: ClientAddress.of(peer: context.peer, headers: request.headers), page: SiteLayout.Route.confirm.rawValue)
        let done = try await NIOThreadPool.singleton.runIfActive { [subscriptions] in try subscriptions.confirm(token, consent: consent) }
        switch done {
        case .confirmed(let address), .pending(let address):
            logger.info("confirm: subscribed", metadata: ["subscriber": "\(tag(stored: address))"])
            return pages.response("confirmed.html", title: "confirmed_title")
        case .expired:
            logger.info("confirm refused: the link expired")
            return pages.problem(.gone, "expired_link", hint: "expired_link_hint")
        case .unknown:
            logger.info("confirm refused: no pending subscription has this token")
            return invalidLink()
        }
    }

    // MARK: - unsubscribe

    private func unsubscribePage(_ request: Request) async throws -> Response {
        guard let token = request.uri.queryParameters["token"].flatMap({ UnsubscribeLinkToken(String($0)) }) else {
            return invalidLink()
        }
        let found = try await NIOThreadPool.singleton.runIfActive { [subscriptions] in try subscriptions.lookUnsubscribe(token) }
        switch found {
        case .active: return buttonPage("unsubscribe.html", title: "unsubscribe_title", token: token.description, request: request)
        case .unsubscribed, .alreadyUnsubscribed: return pages.response("unsubscribed.html", title: "unsubscribed_title")
        case .unknown: return invalidLink()
        }
    }

    /// RFC 8058 one-click (a mailbox provider's POST, no cookie, no form token: exempt
    /// by design, the token in the URL is the authority) or the page's button.
    private func unsubscribe(_ request: Request, context: ServeContext, logger: Logger) async throws -> Response {
        var request = request
        let form = try await readForm(&request)
        let query = request.uri.queryParameters["token"].map(String.init)
        let text: String?
        if form.isOneClick {
            text = query
        } else {
            if let refused = checkCSRF(form, request, route: .unsubscribe, logger: logger) { return refused }
            text = form.fields["token"] ?? query
        }
        guard let token = text.flatMap(UnsubscribeLinkToken.init) else {
            logger.info("unsubscribe refused: not an unsubscribe token")
            return invalidLink()
        }
        let how = form.isOneClick ? "one-click" : "button"
        let consent = consent(
            request, client: ClientAddress.of(peer: context.peer, headers: request.headers),
            page: form.isOneClick ? "unsubscribe (RFC 8058 one-click)" : SiteLayout.Route.unsubscribe.rawValue)
        let done = try await unsubscribes.unsubscribe(token, consent: consent)
        switch done {
        case .unsubscribed(let address), .active(let address):
            logger.info("unsubscribe: unsubscribed (\(how))", metadata: ["subscriber": "\(tag(stored: address))"])
            return pages.response("unsubscribed.html", title: "unsubscribed_title")
        case .alreadyUnsubscribed(let address):
            logger.info("unsubscribe: already unsubscribed (\(how))", metadata: ["subscriber": "\(tag(stored: address))"])
            return pages.response("unsubscribed.html", title: "unsubscribed_title")
        case .unknown:
            logger.info("unsubscribe refused: no subscription has this token (\(how))")
            return invalidLink()
        }
    }

    // MARK: - shared

    /// A malformed token and one no subscription has get the same page.
    private func invalidLink() -> Response {
        pages.problem(.badRequest, "invalid_link", hint: "invalid_link_hint")
    }

    private func buttonPage(_ name: String, title: String, token: String, request: Request) -> Response {
        let nonce = csrf.nonce(from: request.cookies[CSRFGuard.cookieName]?.value)
        return pages.response(
            name, title: title, page: ["csrf": csrf.formToken(nonce: nonce), "token": token],
            cookie: csrfCookie(nonce))
    }

    /// The form; a body over the cap (413) or one that is not a form (400) is refused with a page.
    private func readForm(_ request: inout Request) async throws -> FormBody {
        do { return try await FormBody.read(&request) } catch let error as HTTPError where error.status == .contentTooLarge {
            throw PageRefusal(pages.problem(.contentTooLarge, "too_large"))
        } catch is FormBody.Malformed {
            throw PageRefusal(pages.problem(.badRequest, "bad_form"))
        }
    }

    private func checkCSRF(_ form: FormBody, _ request: Request, route: SiteLayout.Route, logger: Logger) -> Response? {
        do {
            try csrf.check(
                formToken: form.fields["csrf"], cookie: request.cookies[CSRFGuard.cookieName]?.value,
                headers: request.headers, authority: request.head.authority)
            return nil
        } catch {
            logger.info("\(route.rawValue) refused: the form check failed (\(error))")
            return pages.problem(.forbidden, "forbidden", hint: "forbidden_hint")
        }
    }

    private func consent(_ request: Request, client: String, page: String) -> Subscriptions.Consent {
        let agent = String((request.headers[.userAgent] ?? "").prefix(512))
        return Subscriptions.Consent(client: client, userAgent: agent, page: path + page)
    }
}
