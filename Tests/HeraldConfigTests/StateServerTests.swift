import Foundation
import HeraldBase
import HeraldConfig
import HeraldTestSupport
import Testing

@Suite struct StateServerTests {
    @Test func readsHostPortDatabaseAndUser() throws {
        let server = try StateServer(url: "postgresql://db.example.org:6543/weekly?user=herald")
        #expect(server == StateServer(host: "db.example.org", port: 6543, database: "weekly", user: "herald"))
        #expect(server.description == "postgresql://db.example.org:6543/weekly?user=herald")
        #expect(try StateServer(url: "postgres://[::1]/w") == StateServer(host: "::1", database: "w"))
        #expect(try StateServer(url: "postgresql://herald@db/w").user == "herald")
    }

    @Test(arguments: [
        "postgresql://herald:hunter2@db.example.org/weekly",
        "postgresql://:hunter2@db.example.org/weekly",
        "postgresql://db.example.org/weekly?user=herald&password=hunter2",
    ])
    func aPasswordIsRefusedAndNotRepeated(_ url: String) {
        do {
            _ = try StateServer(url: url)
            Issue.record("\(url) was accepted")
        } catch {
            #expect(!error.description.contains("hunter2"))
            #expect(error.description.contains("HERALD_STATE_PASSWORD"))
        }
    }

    @Test(arguments: [
        ("postgresql://db.example.org", "names no database"),
        ("postgresql:///weekly", "names no host"),
        ("postgresql://db.example.org/weekly?sslcert=a.pem", "unknown setting \"sslcert\""),
        ("postgresql://db.example.org/weekly?sslmode=allow", "sslmode=allow is not one of disable, prefer, require"),
        ("postgresql://db.example.org/weekly?sslmode=", "sslmode= is not one of"),
        ("postgresql://db/w?sslmode=require&sslmode=disable", "sslmode= is given twice"),
        ("postgresql://db/w?sslrootcert=", "sslrootcert= is empty"),
        ("postgresql://db/w?sslmode=prefer&sslrootcert=ca.pem", "read only with sslmode=require"),
        ("postgresql://db.example.org:0/weekly", "port 0"),
        ("postgresql://db/w?user=a&user=b", "two users"),
    ])
    func aWrongURLSaysWhatIsWrong(_ url: String, _ words: String) {
        #expect {
            _ = try StateServer(url: url)
        } throws: { error in
            "\(error)".contains(words)
        }
    }

    @Test func tlsIsVerifiedByDefaultExceptOnLoopback() throws {
        #expect(try StateServer(url: "postgresql://db.example.org/w").sslMode == .verifyFull)
        #expect(try StateServer(url: "postgresql://10.0.0.5/w").sslMode == .verifyFull)
        #expect(try StateServer(url: "postgresql://127.0.0.1/w").sslMode == .prefer)
        #expect(try StateServer(url: "postgresql://localhost/w").sslMode == .prefer)
        #expect(try StateServer(url: "postgresql://[::1]/w").sslMode == .prefer)
        #expect(try StateServer(url: "postgresql://127.0.0.1/w?sslrootcert=/etc/ca.pem").sslMode == .verifyFull)
        #expect(try StateServer(url: "postgresql://db/w?sslrootcert=system").sslRootCert == nil)
        for mode in StateServer.SSLMode.allCases {
            #expect(try StateServer(url: "postgresql://db/w?sslmode=\(mode.rawValue)").sslMode == mode)
        }
    }

    @Test func theDescriptionShowsTLSSettingsOnlyWhenNotTheDefault() throws {
        #expect(try StateServer(url: "postgresql://db/w?sslmode=verify-full").description == "postgresql://db:5432/w")
        #expect(try StateServer(url: "postgresql://127.0.0.1/w?sslmode=prefer").description == "postgresql://127.0.0.1:5432/w")
        #expect(
            try StateServer(url: "postgresql://db/w?user=h&sslmode=disable").description
                == "postgresql://db:5432/w?user=h&sslmode=disable")
        #expect(
            try StateServer(url: "postgresql://db/w?sslmode=verify-ca&sslrootcert=/etc/ca.pem").description
                == "postgresql://db:5432/w?sslmode=verify-ca&sslrootcert=/etc/ca.pem")
    }

    @Test func aRelativeCAFileIsHeraldYmlsNeighbour() throws {
        let dir = try TempDir()
        try dir.write("herald.yml", "title: T\nbase_url: https://e.org\nstate: postgresql://db/w?sslrootcert=tls/ca.pem\n")
        let publication = try Publication.load(from: dir.path)
        #expect(publication.stateServer?.sslRootCert == dir.url.appendingPathComponent("tls/ca.pem").standardizedFileURL)
        #expect(publication.stateServer?.database("other").sslRootCert == publication.stateServer?.sslRootCert)
    }

    @Test func aWrongTLSSettingIsRefusedAtTheStateLine() throws {
        let dir = try TempDir()
        try dir.write("herald.yml", "title: T\nbase_url: https://e.org\nstate: postgresql://db/w?sslmode=on\n")
        do {
            _ = try Publication.load(from: dir.path)
            Issue.record("expected an error")
        } catch {
            #expect(error.exitStatus == .config)
            #expect(error.problems.map(\.line) == [3])
            #expect(error.description.contains("sslmode=on"))
        }
    }

    @Test func aPasswordInStateIsRefusedAtItsLine() throws {
        let dir = try TempDir()
        try dir.write("herald.yml", "title: T\nbase_url: https://e.org\nstate: postgresql://u:hunter2@db/w\n")
        do {
            _ = try Publication.load(from: dir.path)
            Issue.record("expected an error")
        } catch {
            #expect(error.exitStatus == .config)
            #expect(error.problems.map(\.line) == [3])
            #expect(!error.description.contains("hunter2"))
        }
    }

    @Test func aServerStateLeavesTheFolderToTheDefault() throws {
        let dir = try TempDir()
        try dir.write(
            "herald.yml",
            "title: T\nbase_url: https://e.org\nstate: postgresql://db/w?user=h\nstate_password_file: secret\n")
        let publication = try Publication.load(from: dir.path)
        #expect(publication.stateServer == StateServer(host: "db", database: "w", user: "h"))
        #expect(publication.stateDirectory == nil)
        #expect(publication.statePasswordFile?.lastPathComponent == "secret")
    }

    @Test func aPasswordFileWithoutAServerIsAMistake() throws {
        let dir = try TempDir()
        try dir.write("herald.yml", "title: T\nbase_url: https://e.org\nstate: here\nstate_password_file: secret\n")
        #expect(throws: SourceProblems.self) { try Publication.load(from: dir.path) }
    }
}
