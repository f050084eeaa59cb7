import FoundationEssentials
import HeraldConfig
import HeraldState
import HeraldTestSupport
import Testing

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
    func publication(_ extra: String = "") throws -> (TempDir, Publication) {
        let dir = try TempDir()
        try dir.write("weekly/herald.yml", "title: W\nbase_url: https://w.example/\n" + extra)
        return (dir, try Publication.load(from: dir.path + "/weekly"))
    }

    @Test func configThenSystemdThenXDGNeverTheWorkingFolder() throws {
        let (dir, pub) = try publication()
        #expect(
            StateDatabase.defaultDirectory(for: pub, environment: ["STATE_DIRECTORY": "/var/lib/herald"]).path
                == "/var/lib/herald/weekly")
        #expect(
            StateDatabase.defaultDirectory(for: pub, environment: ["STATE_DIRECTORY": "/var/lib/a:/var/lib/b"]).path
                == "/var/lib/a/weekly")
        #expect(
            StateDatabase.defaultDirectory(for: pub, environment: ["XDG_STATE_HOME": "/x/state", "HOME": "/h"]).path
                == "/x/state/herald/weekly")
        #expect(
            StateDatabase.defaultDirectory(for: pub, environment: ["HOME": "/home/ana"]).path
                == "/home/ana/.local/state/herald/weekly")
        let (_, configured) = try publication("state: ../state-here\n")
        #expect(
            StateDatabase.defaultDirectory(for: configured, environment: ["STATE_DIRECTORY": "/var/lib/herald"]).path
                .hasSuffix("/state-here"))
        _ = dir
    }
}
