/// Something that stopped a feed from being written, with the file it concerns and what
/// to check: `public/example/atom.xml: could not rename …: Permission denied`.
public struct FeedError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
