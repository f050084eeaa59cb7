import Foundation

/// Evidence of consent that another tool recorded (Mailchimp's OPTIN/CONFIRM time and IP,
/// listmonk's `created_at`, the consent columns of Herald's own export). An import keeps
/// it in `consents` beside the web sign-ups' records, with `source` saying which file and
/// tool it came from; a record without a source was made by Herald's own pages.
package struct ImportedConsent: Sendable, Equatable {
    package enum Action: String, Sendable { case requested, confirmed }

    package let action: Action
    package let at: Date
    package var client: String? = nil
    package var userAgent: String? = nil
    package var page: String? = nil
    /// Kept from a re-imported Herald export; nil means the importing file.
    package var source: String? = nil
}
