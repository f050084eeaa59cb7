import Foundation
import HeraldBase
import HeraldConfig
import HeraldTestSupport
import Testing

@testable import HeraldMail

@Suite struct SMTPSettingsTests {
    func settings(_ url: String, _ startTLS: SMTPSettings.StartTLS? = nil, username: String? = nil) -> SMTPSettings {
        var s = SMTPSettings()
        s.url = URL(string: url)
        s.startTLS = startTLS
        s.username = username
        return s
    }
    let here = URL(fileURLWithPath: "/")

    @Test func plainTextOnlyToLoopback() throws {
        let dir = try TempDir()
        let head = "title: T\nbase_url: https://e.org\nsmtp:\n"
        try dir.write("herald.yml", head + "  url: smtp://mail.example.org:587\n  starttls: off\n")
        #expect(
            throws: SourceProblems(
                [
                    SourceProblem(
                        path: dir.path + "/herald.yml", line: 5,
                        message: "smtp.starttls: off sends passwords and mail in "
                            + "clear text; it is only allowed for a loopback host, not mail.example.org")
                ], exitStatus: .config)
        ) {
            try Publication.load(from: dir.path)
        }
        try dir.write("herald.yml", head + "  url: smtp://127.0.0.1:25\n  starttls: off\n")
        _ = try Publication.load(from: dir.path).smtp.connectionOptions(environment: [:], baseDirectory: here)
    }

    @Test func starttlsRequiredByDefaultExceptOnLoopback() throws {
        let remote = try settings("smtp://mail.example.org:587").connectionOptions(environment: [:], baseDirectory: here)
        let local = try settings("smtp://localhost:2525").connectionOptions(environment: [:], baseDirectory: here)
        #expect(remote.useSSL == 3) // CURLUSESSL_ALL
        #expect(local.useSSL == 1) // CURLUSESSL_TRY
    }

    @Test func passwordFromEnvironmentThenFileThenCredentials() throws {
        let dir = try TempDir()
        try dir.write("pw", "from-file\n")
        try dir.write("creds/smtp-password", "from-systemd")
        var s = settings("smtps://mail.example.org", username: "u")
        #expect(
            try s.connectionOptions(environment: ["CREDENTIALS_DIRECTORY": dir.path + "/creds"], baseDirectory: here).password
                == "from-systemd")
        s.passwordFile = dir.path + "/pw"
        #expect(try s.connectionOptions(environment: [:], baseDirectory: here).password == "from-file")
        #expect(try s.connectionOptions(environment: ["HERALD_SMTP_PASSWORD": "from-env"], baseDirectory: here).password == "from-env")
        s.passwordFile = nil
        #expect { try s.connectionOptions(environment: [:], baseDirectory: here) } throws: { "\($0)".contains("HERALD_SMTP_PASSWORD") }
    }

    /// herald.yml with `smtp:` holding `body`; the problems `Publication.load` reports, one a line.
    func problems(_ body: String) throws -> (problems: [String], path: String) {
        let dir = try TempDir()
        try dir.write("herald.yml", "title: T\nbase_url: https://e.org\nsmtp:\n" + body)
        let path = dir.path + "/herald.yml"
        let found: SourceProblems
        do {
            _ = try Publication.load(from: dir.path)
            return ([], path)
        } catch { found = error }
        #expect(found.exitStatus == .config)
        return (found.problems.map(\.description), path)
    }

    @Test func aListOfRelaysGivesEachItsOwnOptions() throws {
        let dir = try TempDir()
        try dir.write(
            "herald.yml",
            "title: T\nbase_url: https://e.org\nsmtp:\n  url:\n    - smtp://127.0.0.1:2525\n    - smtp://mail.example.org:587\n"
                + "    - smtps://mail.example.org\n")
        let smtp = try Publication.load(from: dir.path).smtp
        #expect(smtp.relays.map(\.absoluteString) == ["smtp://127.0.0.1:2525", "smtp://mail.example.org:587", "smtps://mail.example.org"])
        #expect(smtp.url?.absoluteString == "smtp://127.0.0.1:2525")
        let options = try smtp.relayOptions(environment: [:], baseDirectory: here)
        #expect(options.map(\.url) == smtp.relays.map(\.absoluteString))
        #expect(options.map(\.useSSL) == [1, 3, 3]) // TRY on loopback, ALL elsewhere
        #expect(try smtp.connectionOptions(environment: [:], baseDirectory: here).url == "smtp://127.0.0.1:2525")
    }

    @Test func oneURLReadsAsItAlwaysHas() throws {
        let (found, path) = try problems("  url: ftp://mail.example.org\n")
        #expect(found == ["\(path):4: smtp.url: must start with smtp:// or smtps://, not ftp://"])
        let (secret, secretPath) = try problems("  url: smtp://me:pw@mail.example.org\n")
        #expect(secret.count == 1 && secret[0].hasPrefix("\(secretPath):4: smtp.url must not hold a user name or password"))
        #expect(!secret[0].contains("pw@"))
    }

    @Test func eachBadEntryIsReportedAtItsLine() throws {
        let (found, path) = try problems(
            "  url:\n    - smtp://a.example.org:587\n    - ftp://b.example.org\n    - smtp://u:secret@c.example.org\n"
                + "    - SMTP://A.example.org:587\n")
        #expect(
            found == [
                "\(path):6: smtp.url entry 2: must start with smtp:// or smtps://, not ftp://",
                "\(path):7: smtp.url entry 3 must not hold a user name or password; use smtp.username and the password file/env "
                    + "(smtp.password_file, HERALD_SMTP_PASSWORD or the systemd credential smtp-password)",
                "\(path):8: smtp.url entry 4 is the same relay as entry 1 (SMTP://A.example.org:587): list each relay once",
            ])
        #expect(
            try problems("  url:\n    - smtp://a.example.org\n    - [smtp://d.example.org]\n").problems.first?.hasSuffix(
                ":6: \"smtp.url\" entry 2 must be a string") == true)
        #expect(
            try problems("  url: []\n").problems.first?.hasSuffix(
                "smtp.url lists no relay: give one URL such as smtp://mail.example.org:587, or a list of them") == true)
        #expect(try problems("  url: {a: 1}\n").problems.first?.hasSuffix("\"smtp.url\" must be a string or a list of strings") == true)
        // The default port is the same relay too.
        #expect(try problems("  url: [smtp://a.example.org, 'smtp://a.example.org:25']\n").problems.count == 1)
        #expect(try problems("  url: [smtp://a.example.org, 'smtps://a.example.org']\n").problems.isEmpty)
    }

    @Test func controlCharactersAndSpacesInARelayAreRefused() throws {
        for (written, code) in [
            (#""smtp://a.example.org\0:25""#, "U+0000"), (#""smtp://a.example\u0001.org""#, "U+0001"),
            (#""smtp://a.example.org:25\r\nRCPT TO:<x@y>""#, "U+000D"), ("'smtp://a b.example.org'", "U+0020"),
            (#""smtp://a.example.org\u202E:25""#, "U+202E"), (#""smtp://a\u200B.example.org""#, "U+200B"),
        ] {
            let (found, path) = try problems("  url:\n    - smtp://ok.example.org\n    - \(written)\n")
            #expect(found.count == 1)
            #expect(found.first?.hasPrefix("\(path):6: smtp.url entry 2: ") == true)
            #expect(found.first?.contains("holds a control character or a space (\(code))") == true)
            #expect(
                found.first.map { !$0.unicodeScalars.contains { [.control, .format].contains($0.properties.generalCategory) } } == true)
        }
    }

    @Test func plainTextIsRefusedForAnyRelayThatIsNotLoopback() throws {
        let (found, path) = try problems("  url: [smtp://127.0.0.1:25, smtp://mail.example.org:25]\n  starttls: off\n")
        #expect(
            found == [
                "\(path):5: smtp.starttls: off sends passwords and mail in clear text; it is only allowed for a loopback host, not mail.example.org"
            ])
    }

    @Test func aListLongerThanTheCapIsRefusedAtItsKey() throws {
        let many = (0...SMTPSettings.maxRelays).map { "    - smtp://relay\($0).example.org\n" }.joined()
        let (found, path) = try problems("  url:\n" + many)
        #expect(found == ["\(path):4: smtp.url lists 65 relays; at most 64"])
    }
}
