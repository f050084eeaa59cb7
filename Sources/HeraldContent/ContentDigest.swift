import Crypto

/// SHA-256 of a file's bytes: what the scan cache checks a file against when its stamp
/// alone cannot be trusted (`ScanCache`).
package struct ContentDigest: Sendable, Equatable {
    package static let byteCount = 32
    package let bytes: [UInt8]

    package init(_ raw: UnsafeRawBufferPointer) {
        bytes = Array(SHA256.hash(data: raw))
    }

    /// Nil unless `bytes` has the length of a digest.
    package init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
    }
}
