import ArgumentParser
import HeraldBase
import HeraldMail
import HeraldState

extension Herald {
    struct Token: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Look up unsubscribe tokens (opaque, kept per subscription in the state database).",
            subcommands: [Verify.self, Make.self])
    }
}

extension Herald.Token {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the address a token unsubscribes; exit 65 when no subscription of this publication has it.")

        @Argument(help: "The publication folder, e.g. feeds/example.")
        var publication: String
        @Argument(help: "The token, or a whole unsubscribe link holding token=….")
        var token: String
        @OptionGroup var state: StateLocation

        func run() throws {
            let (pub, db) = try state.open(publication)
            switch try Subscriptions(database: db, legacyTokens: .configured(for: pub)).lookUnsubscribe(bareToken(token)) {
            case .active(let address), .unsubscribed(let address), .alreadyUnsubscribed(let address):
                print(address)
            case .unknown:
                throw CommandFailure(.dataError, "token is not valid for \(pub.name): altered, truncated, or replaced by a later subscription")
            }
        }
    }

    struct Make: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a subscriber's current unsubscribe token (for support requests and tests).")

        @Argument(help: "The publication folder, e.g. feeds/example.")
        var publication: String
        @Argument(help: "The subscriber's address.")
        var address: String
        @OptionGroup var state: StateLocation

        func run() throws {
            let (pub, db) = try state.open(publication)
            let parsed = try EmailAddress(address)
            guard let entry = try SubscriberStore(database: db).list(includeInactive: true).first(where: { $0.subscriber.address == parsed }),
                  let token = entry.subscriber.unsubscribeToken else {
                throw CommandFailure(.dataError, "\(parsed) is not a subscriber of \(pub.name)")
            }
            print(token)
        }
    }
}
