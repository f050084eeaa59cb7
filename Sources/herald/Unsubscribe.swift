import ArgumentParser
import HeraldMail
import HeraldState

extension Herald {
    struct Unsubscribe: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply an unsubscribe token from a digest's unsubscribe link.")
        @Argument(help: "The publication folder.") var publication: String
        @Argument(help: "The token, or the whole link holding token=….") var token: String
        @OptionGroup var state: StateLocation

        func run() throws {
            let (pub, db) = try state.open(publication)
            let consent = Subscriptions.Consent(client: "cli", userAgent: "herald unsubscribe", page: "herald unsubscribe")
            switch try Subscriptions(database: db, legacyTokens: .configured(for: pub)).unsubscribe(bareToken(token), consent: consent) {
            case .unsubscribed(let address), .alreadyUnsubscribed(let address), .active(let address):
                print("unsubscribed \(address)")
            case .unknown:
                throw CommandFailure(.dataError, "token is not valid for \(pub.name): altered, truncated, or replaced by a later subscription")
            }
        }
    }
}

/// Support requests come with the link a subscriber clicked; take the token out of it.
func bareToken(_ token: String) -> String {
    guard let range = token.range(of: "token=") else { return token.trimmingCharacters(in: .whitespacesAndNewlines) }
    return String(token[range.upperBound...].prefix { $0 != "&" && $0 != "#" })
}
