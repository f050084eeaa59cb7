import Crypto
import HeraldBase

/// Posts a build reads from the network rather than from files (another site's feed):
/// what the build's record compares instead of the files' stamps.
public struct FetchedInput: Sendable, Equatable {
    /// Where the posts come from (the feed's address), as refusals name it.
    public let name: String
    /// A digest of the bytes read: equal digests mean the same posts.
    public let digest: String

    public init(name: String, bytes: [UInt8]) {
        self.name = name
        digest = Hex.lowercase(SHA256.hash(data: bytes))
    }
}
