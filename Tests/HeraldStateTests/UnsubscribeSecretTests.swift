import Foundation
import HeraldConfig
import HeraldState
import HeraldTestSupport
import Testing

@Suite struct UnsubscribeSecretTests {
    static let yaml = """
        title: Weekly
        base_url: https://weekly.example.org/
        digest:

        """

    func publication(_ dir: TempDir, yaml: String = yaml) throws -> Publication {
        try dir.write("herald.yml", yaml)
        return try Publication.load(from: dir.path)
    }

    @Test func secretComesFromEnvironmentThenFile() throws {
        let dir = try TempDir()
        try dir.write("secret", "file-secret-0123456789abcdef\n")
        let pub = try publication(dir, yaml: Self.yaml + "  unsubscribe_secret_file: secret\n")
        let fromFile = try UnsubscribeSecret.required(for: pub, environment: [:])
        let fromEnv = try UnsubscribeSecret.required(for: pub, environment: ["HERALD_UNSUBSCRIBE_SECRET": "env-secret-0123456789abcdef"])
        #expect(fromFile.derivedKey(purpose: "p") == (try UnsubscribeSecret("file-secret-0123456789abcdef")).derivedKey(purpose: "p"))
        #expect(fromEnv.derivedKey(purpose: "p") != fromFile.derivedKey(purpose: "p"))
        #expect(fromFile.derivedKey(purpose: "p") != fromFile.derivedKey(purpose: "q"))
    }

    @Test func systemdCredentialIsTheLastFallback() throws {
        let dir = try TempDir()
        try dir.write("creds/unsubscribe-secret", "credential-secret-0123456789abcdef\n")
        let pub = try publication(dir)
        let env = ["CREDENTIALS_DIRECTORY": dir.path + "/creds"]
        let secret = try UnsubscribeSecret.required(for: pub, environment: env)
        #expect(secret.derivedKey(purpose: "p") == (try UnsubscribeSecret("credential-secret-0123456789abcdef")).derivedKey(purpose: "p"))
        // The environment variable still wins over the credential.
        let withEnv = env.merging(["HERALD_UNSUBSCRIBE_SECRET": "env-secret-0123456789abcdef"]) { a, _ in a }
        #expect(try UnsubscribeSecret.required(for: pub, environment: withEnv).derivedKey(purpose: "p") != secret.derivedKey(purpose: "p"))
    }

    @Test func missingOrShortSecretIsAnErrorThatSaysWhatToDo() throws {
        let dir = try TempDir()
        let pub = try publication(dir)
        #expect(throws: UnsubscribeSecret.Problem.missing) { try UnsubscribeSecret.required(for: pub, environment: [:]) }
        #expect(UnsubscribeSecret.Problem.missing.description.contains("HERALD_UNSUBSCRIBE_SECRET"))
        #expect(throws: UnsubscribeSecret.Problem.self) { try UnsubscribeSecret("short") }
    }
}
