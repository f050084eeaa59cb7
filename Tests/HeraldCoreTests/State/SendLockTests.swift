import Testing
@testable import HeraldCore

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
