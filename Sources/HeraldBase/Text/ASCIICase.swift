/// Names that are matched without regard to ASCII case (header field names), compared
/// byte by byte against a lower-case name, with no lower-cased copy made. Concrete
/// buffers, not generic collections: both callers are on hot paths (a DKIM signature's
/// header scan, a conditional GET answered ahead of the router).
package enum ASCIICase {
    /// Whether `bytes` is `lowercase` with any of its letters A–Z in upper case.
    package static func equals(_ bytes: UnsafeBufferPointer<UInt8>, lowercase: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count == lowercase.count else { return false }
        for i in 0..<bytes.count {
            let byte = bytes[i]
            if (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) != lowercase[i] { return false }
        }
        return true
    }

    /// The same for a string (a header name as NIO gives it).
    package static func equals(_ string: String, lowercase: StaticString) -> Bool {
        guard string.utf8.count == lowercase.utf8CodeUnitCount else { return false }
        return lowercase.withUTF8Buffer { expected in
            var string = string
            return string.withUTF8 { equals($0, lowercase: expected) }
        }
    }
}
