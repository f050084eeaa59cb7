import ArgumentParser
import HeraldConfig
import HeraldMail

extension Herald {
    struct Token: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make or check unsubscribe tokens (signed with HERALD_UNSUBSCRIBE_SECRET or digest.unsubscribe_secret_file).",
            subcommands: [Verify.self, Make.self])
    }
}

extension Herald.Token {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the address a token unsubscribes; exit 65 when the token is not valid for this publication.")

        @Argument(help: "The publication folder, e.g. feeds/example.")
        var publication: String
        @Argument(help: "The token, or a whole unsubscribe link holding token=….")
        var token: String

        /// Support requests come with the link a subscriber clicked; take the token out of it.
        var bareToken: String {
            guard let range = token.range(of: "token=") else { return token }
            return String(token[range.upperBound...].prefix { $0 != "&" && $0 != "#" })
        }

        func run() throws {
            print(try verifiedAddress(bareToken, for: try Publication.load(from: publication)))
        }
    }

    struct Make: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the unsubscribe token for an address (for support requests and tests).")

        @Argument(help: "The publication folder, e.g. feeds/example.")
        var publication: String
        @Argument(help: "The subscriber's address.")
        var address: String

        func run() throws {
            let pub = try Publication.load(from: publication)
            let secret = try UnsubscribeSecret.required(for: pub)
            print(UnsubscribeToken.make(address: address, secret: secret, scope: UnsubscribeToken.listIdentity(of: pub)))
        }
    }
}
