import Foundation
import Testing
@testable import HeraldMail

@Suite struct UnsubscribeTokenTests {
    let secret = DigestFixtures.secret

    @Test func roundTripsTheAddress() {
        for address in ["reader@example.com", "读者@例子.中国", "a+tag@b.org"] {
            let token = UnsubscribeToken.make(address: address, secret: secret, scope: "weekly.example.org")
            #expect(token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) })
            #expect(UnsubscribeToken.verify(token, secret: secret, scope: "weekly.example.org") == address)
        }
    }

    @Test func rejectsTamperingOtherListsAndOtherSecrets() throws {
        let token = UnsubscribeToken.make(address: "reader@example.com", secret: secret, scope: "weekly.example.org")
        let parts = token.split(separator: ".")
        let forged = [String(parts[0]), UnsubscribeToken.base64URL(Array("victim@example.com".utf8)), String(parts[2])]
            .joined(separator: ".")
        #expect(UnsubscribeToken.verify(forged, secret: secret, scope: "weekly.example.org") == nil)
        #expect(UnsubscribeToken.verify(token, secret: secret, scope: "other.example.org") == nil)
        #expect(UnsubscribeToken.verify(token, secret: try UnsubscribeSecret("another-secret-0123456789"),
                                        scope: "weekly.example.org") == nil)
        #expect(UnsubscribeToken.verify(token, secret: .preview, scope: "weekly.example.org") == nil)
        #expect(UnsubscribeToken.verify("garbage", secret: secret, scope: "weekly.example.org") == nil)
        #expect(UnsubscribeToken.verify(token + "x", secret: secret, scope: "weekly.example.org") == nil)
    }

    @Test func secretComesFromEnvironmentThenFile() throws {
        let dir = try TempDir()
        try dir.write("secret", "file-secret-0123456789abcdef\n")
        let pub = try DigestFixtures.publication(dir, yaml: DigestFixtures.yaml + "  unsubscribe_secret_file: secret\n")
        let fromFile = try UnsubscribeSecret.required(for: pub, environment: [:])
        let fromEnv = try UnsubscribeSecret.required(for: pub, environment: ["HERALD_UNSUBSCRIBE_SECRET": "env-secret-0123456789abcdef"])
        let token = UnsubscribeToken.make(address: "a@b.org", secret: fromFile, scope: UnsubscribeToken.listIdentity(of: pub))
        #expect(try UnsubscribeToken.verify(token, for: pub, environment: [:]) == "a@b.org")
        #expect(UnsubscribeToken.verify(token, secret: fromEnv, scope: UnsubscribeToken.listIdentity(of: pub)) == nil)
    }

    @Test func systemdCredentialIsTheLastFallback() throws {
        let dir = try TempDir()
        try dir.write("creds/unsubscribe-secret", "credential-secret-0123456789abcdef\n")
        let pub = try DigestFixtures.publication(dir)
        let env = ["CREDENTIALS_DIRECTORY": dir.path + "/creds"]
        let secret = try UnsubscribeSecret.required(for: pub, environment: env)
        let token = UnsubscribeToken.make(address: "a@b.org", secret: secret, scope: UnsubscribeToken.listIdentity(of: pub))
        #expect(try UnsubscribeToken.verify(token, for: pub, environment: env) == "a@b.org")
        // The environment variable still wins over the credential.
        let withEnv = env.merging(["HERALD_UNSUBSCRIBE_SECRET": "env-secret-0123456789abcdef"]) { a, _ in a }
        #expect(try UnsubscribeToken.verify(token, for: pub, environment: withEnv) == nil)
    }

    @Test func missingOrShortSecretIsAnErrorThatSaysWhatToDo() throws {
        let dir = try TempDir()
        let pub = try DigestFixtures.publication(dir)
        #expect(throws: DigestError.missingUnsubscribeSecret) { try UnsubscribeSecret.required(for: pub, environment: [:]) }
        #expect(DigestError.missingUnsubscribeSecret.description.contains("HERALD_UNSUBSCRIBE_SECRET"))
        #expect(throws: DigestError.self) { try UnsubscribeSecret("short") }
    }
}
