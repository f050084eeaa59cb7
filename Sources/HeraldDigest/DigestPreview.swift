import Foundation
import HeraldBase
import HeraldConfig
import HeraldContent
import HeraldMail
import HeraldState

/// What `herald digest --out DIR` writes: the message one subscriber would
/// get, as a Maildir any mail client can open (`DIR/new/…`), and its HTML
/// part as `DIR/digest.html` for a browser. No state is read or changed.
public enum DigestPreview {
    public struct Written: Sendable {
        public let message: URL
        public let html: URL
        public let subject: String
        /// True when no secret is configured: the unsubscribe links are signed
        /// with the preview secret and do not work.
        public let usedPreviewSecret: Bool
    }

    public static let defaultRecipient = "reader@example.invalid"

    public static func write(
        publication: Publication, posts: [Post], number: Int, date: Date,
        to address: String = defaultRecipient, out: URL, templatesDirectory: URL? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment, prepared: DigestPreparation? = nil
    )
        throws(DigestError) -> Written
    {
        let configured: UnsubscribeSecret?
        do { configured = try UnsubscribeSecret.configured(for: publication, environment: environment) } catch {
            throw .unsubscribeSecret(error)
        }
        let composer = try DigestComposer(
            publication: publication, posts: posts, number: number, date: date,
            secret: configured ?? .preview, templatesDirectory: templatesDirectory, oneMessage: true, prepared: prepared)
        // `--to "Name <address>"` previews the greeting and To: a subscriber with a name gets.
        let recipient: Mailbox
        do throws(EmailAddress.Invalid) { recipient = try Mailbox(address) } catch {
            throw .invalidAddress(address, role: "--to", reason: error.reason)
        }
        let subscriber = Subscriber(id: 0, address: recipient.address, name: recipient.name)
        // The page and the message are two independent renders: one on another core.
        let page = Background { composer.previewHTML(for: subscriber) }
        let message = composer.message(for: subscriber)
        let file: URL
        do { file = try MaildirWriter(root: out).deliver(message) } catch { throw .output(path: error.path, reason: error.message) }
        let html = out.appendingPathComponent("digest.html")
        do {
            try ScratchFile.write(
                Array(page.value.utf8), to: html.path,
                through: out.appendingPathComponent(".digest.html.tmp").path)
        } catch {
            throw .output(path: html.path, reason: "cannot write the HTML preview (\(error))")
        }
        return Written(message: file, html: html, subject: composer.subject, usedPreviewSecret: configured == nil)
    }
}
