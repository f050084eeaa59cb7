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
}
