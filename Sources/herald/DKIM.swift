import ArgumentParser
import HeraldConfig
import HeraldUseCases

extension Herald {
    struct DKIM: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dkim",
            abstract: "DomainKeys (DKIM) for signing digests.",
            subcommands: [Keygen.self])
    }
}

extension Herald.DKIM {
    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keygen",
            abstract: "Write a new DKIM private key and print the DNS TXT record to publish.",
            discussion: """
                Then set dkim.domain, dkim.selector and dkim.key_file in herald.yml. ed25519-sha256 \
                signs fast (RFC 8463); rsa-sha256 (2048 bits) is what every receiver verifies.
                """)

        @Option(help: "The selector: the record is SELECTOR._domainkey.DOMAIN.") var selector: String
        @Option(help: "The signing domain, normally digest.from's.") var domain: String
        @Option(help: "ed25519-sha256 or rsa-sha256.") var algorithm: String = DKIMSettings.Algorithm.ed25519.rawValue
        @Option(help: "Where to write the key (PEM, mode 0600); not overwritten.") var out: String?

        func validate() throws {
            guard DKIMSettings.Algorithm(rawValue: algorithm) != nil else {
                throw ValidationError("--algorithm must be ed25519-sha256 or rsa-sha256")
            }
        }

        func run() throws {
            let outcome = try GenerateDKIMKey.run(
                algorithm: DKIMSettings.Algorithm(rawValue: algorithm)!, selector: selector,
                domain: domain, out: out)
            printError("wrote \(outcome.path)")
            print(outcome.record)
        }
    }
}
