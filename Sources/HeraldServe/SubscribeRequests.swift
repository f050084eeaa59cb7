import Foundation
import HeraldBase
import HeraldConfig
import HeraldMail
import HeraldState
import Logging
import NIOPosix
import Synchronization

/// Subscribe requests after their answer: each is recorded (consent, pending subscription,
/// the address's mail window) and its confirmation mailed in the background, so the page
/// waits for neither a commit nor SMTP and takes as long whatever the database holds.
/// The recording re-checks the window in its own transaction, so two requests that were
/// both answered "check your inbox" still mail at most once. At most `limit` wait at once;
/// past that a request is dropped and logged (its requester can ask again).
final class SubscribeRequests: Sendable {
    static let limit = 256

    private let subscriptions: any SubscriptionStorage
    private let mailer: NoticeMailer
    private let pages: Pages
    private let site: SiteLayout
    private let settings: ServeSettings
    private let title: String
    private let tag: AddressTag
    private let waiting = Atomic<Int>(0)

    init(
        subscriptions: any SubscriptionStorage, mailer: NoticeMailer, pages: Pages, site: SiteLayout, publication: Publication,
        tag: AddressTag
    ) {
        self.tag = tag
        self.subscriptions = subscriptions
        self.mailer = mailer
        self.pages = pages
        self.site = site
        self.settings = publication.serve
        self.title = publication.title
    }

    func submit(_ address: EmailAddress, name: SubscriberName?, consent: Subscriptions.Consent, logger: Logger) {
        guard waiting.add(1, ordering: .relaxed).newValue <= Self.limit else {
            waiting.subtract(1, ordering: .relaxed)
            logger.error(
                "subscribe dropped: \(Self.limit) requests are already waiting", metadata: ["subscriber": "\(tag(address))"])
            return
        }
        Task {
            defer { waiting.subtract(1, ordering: .relaxed) }
            await record(address, name: name, consent: consent, logger: logger)
        }
    }

    private func record(_ address: EmailAddress, name: SubscriberName?, consent: Subscriptions.Consent, logger: Logger) async {
        let outcome: Subscriptions.RequestOutcome
        do {
            outcome = try await NIOThreadPool.singleton.runIfActive { [subscriptions, settings] in
                try subscriptions.request(
                    address, name: name, consent: consent,
                    lifetime: TimeInterval(settings.confirmDays) * 86_400, window: settings.confirmWindow)
            }
        } catch {
            logger.error("subscribe not recorded: \(tag.redact("\(error)", address))", metadata: ["subscriber": "\(tag(address))"])
            return
        }
        let subscriber: Logger.Metadata = ["subscriber": "\(tag(address))"]
        let token: SubscriptionToken
        switch outcome {
        case .mail(let mailed): token = mailed
        case .alreadyActive:
            logger.info("subscribe: already subscribed, nothing mailed", metadata: subscriber)
            return
        case .throttled:
            logger.info("subscribe: a confirmation went out within serve.confirm_window, nothing mailed", metadata: subscriber)
            return
        }
        let mail = pages.confirmationMail(
            confirmURL: site.url(.confirm, token: token.description), days: settings.confirmDays, title: title, name: name)
        do {
            try await NIOThreadPool.singleton.runIfActive { [mailer] in
                try mailer.send(to: address, name: name, subject: mail.subject, text: mail.text)
            }
            logger.info("subscribe: pending, confirmation mailed", metadata: subscriber)
        } catch {
            logger.error("subscribe: confirmation mail not sent: \(tag.redact("\(error)", address))", metadata: subscriber)
            try? await NIOThreadPool.singleton.runIfActive { [subscriptions] in try subscriptions.forgetMailing(address) }
        }
    }
}
