import Foundation
import HeraldBase
import HeraldState

/// A scratch folder removed when the test's value goes away.
public final class TempDir {
    public let url: URL
    public var path: String { url.path }

    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("herald-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    @discardableResult
    public func write(_ relative: String, _ text: String) throws -> URL {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
        return file
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

extension Subscriber {
    /// Test subscribers are written as text; an invalid one fails the test at once.
    public init(id: Int64, address: String, name: String?, status: Status = .active, unsubscribeToken: String? = nil) {
        self.init(
            id: id, address: try! EmailAddress(address), name: name, status: status,
            unsubscribeToken: unsubscribeToken.map { SubscriptionToken($0)! })
    }
}
