import Testing
@testable import HeraldState

@Suite struct SendLockTests {
    @Test func secondHolderIsRefusedUntilTheFirstLetsGo() throws {
        let dir = try TempDir()
        var first: SendLock? = try SendLock(directory: dir.url)
        #expect { try SendLock(directory: dir.url) } throws: { "\($0)".contains("another herald send is running") }
        #expect(first != nil)
        first = nil
        _ = try SendLock(directory: dir.url)
    }
}

@Suite struct StateDirectoryTests {
    @Test func systemdStateDirectoryWinsOverTheLocalFolder() {
        #expect(StateDatabase.defaultDirectory(for: "weekly", environment: ["STATE_DIRECTORY": "/var/lib/herald"]).path
                == "/var/lib/herald/weekly")
        #expect(StateDatabase.defaultDirectory(for: "weekly", environment: ["STATE_DIRECTORY": "/var/lib/a:/var/lib/b"]).path
                == "/var/lib/a/weekly")
        #expect(StateDatabase.defaultDirectory(for: "weekly", environment: [:]).path.hasSuffix("state/weekly"))
    }
}
