import Foundation
import Testing
@testable import HeraldConfig
@testable import HeraldContent
@testable import HeraldFeeds
@testable import HeraldMail

@Suite struct SMTPSettingsTests {
    func settings(_ url: String, _ startTLS: SMTPSettings.StartTLS? = nil, username: String? = nil) -> SMTPSettings {
        var s = SMTPSettings()
        s.url = url
        s.startTLS = startTLS
        s.username = username
        return s
    }
    let here = URL(fileURLWithPath: "/")

    @Test func plainTextOnlyToLoopback() throws {
        #expect(throws: MailConfigError.self) {
            try settings("smtp://mail.example.org:587", .off).connectionOptions(environment: [:], baseDirectory: here)
        }
        _ = try settings("smtp://127.0.0.1:25", .off).connectionOptions(environment: [:], baseDirectory: here)
    }

    @Test func starttlsRequiredByDefaultExceptOnLoopback() throws {
        let remote = try settings("smtp://mail.example.org:587").connectionOptions(environment: [:], baseDirectory: here)
        let local = try settings("smtp://localhost:2525").connectionOptions(environment: [:], baseDirectory: here)
        #expect(remote.useSSL == 3)  // CURLUSESSL_ALL
        #expect(local.useSSL == 1)   // CURLUSESSL_TRY
    }

    @Test func passwordFromEnvironmentThenFileThenCredentials() throws {
        let dir = try TempDir()
        try dir.write("pw", "from-file\n")
        try dir.write("creds/smtp-password", "from-systemd")
        var s = settings("smtps://mail.example.org", username: "u")
        #expect(try s.connectionOptions(environment: ["CREDENTIALS_DIRECTORY": dir.path + "/creds"], baseDirectory: here).password == "from-systemd")
        s.passwordFile = dir.path + "/pw"
        #expect(try s.connectionOptions(environment: [:], baseDirectory: here).password == "from-file")
        #expect(try s.connectionOptions(environment: ["HERALD_SMTP_PASSWORD": "from-env"], baseDirectory: here).password == "from-env")
        s.passwordFile = nil
        #expect { try s.connectionOptions(environment: [:], baseDirectory: here) } throws: { "\($0)".contains("HERALD_SMTP_PASSWORD") }
    }
}
