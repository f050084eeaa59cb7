import ArgumentParser
import HeraldBase
import HeraldConfig
import HeraldUseCases

extension Herald {
    struct Token: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "token",
            abstract: "Look up unsubscribe tokens (opaque, kept per subscription in the state database).",
            subcommands: [Verify.self, Make.self, Tag.self])
    }
}

extension Herald.Token {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Print the address a token unsubscribes; exit 65 when no subscription of this publication has it.")

        @Argument(help: "The publication folder, e.g. feeds/example.")
        var publication: String
        @Argument(help: "The token, or a whole unsubscribe link holding token=….")
        var token: String
        @OptionGroup var state: StateLocation

        func run() throws {
            let pub = try Publication.load(from: publication)
            print(try UnsubscribeTokens(state.of(pub)).verify(token))
        }
    }

    struct Make: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "make",
            abstract: "Print a subscriber's current unsubscribe token (for support requests and tests).")

        @Argument(help: "The publication folder, e.g. feeds/example.")
        var publication: String
        @Argument(help: "The subscriber's address.")
        var address: String
        @OptionGroup var state: StateLocation

        func run() throws {
            let pub = try Publication.load(from: publication)
            print(try UnsubscribeTokens(state.of(pub)).make(for: EmailAddress(address)))
        }
    }

    struct Tag: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tag",
            abstract: "Print how `herald serve`'s log names an address (subscriber=…), to find its lines.",
            discussion: "The log never holds an address: a keyed hash of it, made with the unsubscribe secret.")

        @Argument(help: "The publication folder, e.g. feeds/example.")
        var publication: String
        @Argument(help: "The address.")
        var address: String
        @OptionGroup var state: StateLocation

        func run() throws {
            let pub = try Publication.load(from: publication)
            print(try UnsubscribeTokens(state.of(pub)).logTag(for: EmailAddress(address)))
        }
    }
}
